import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from '@/i18n/locales/zh-CN'
import en from '@/i18n/locales/en'
import { DEFAULT_LOCALE, initialLocale } from '@/i18n'
import { ROLES, SITE_KINDS } from '@/api/types'

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

const zh = flatten(zhCN as Tree)
const enFlat = flatten(en as Tree)
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return sourceFiles(p)
    return /\.(ts|vue)$/.test(name) ? [p] : []
  })
}

describe('locale messages', () => {
  it('zh-CN and en have exactly the same keys', () => {
    const missingInEn = [...zh.keys()].filter((k) => !enFlat.has(k))
    const missingInZh = [...enFlat.keys()].filter((k) => !zh.has(k))
    expect(missingInEn).toEqual([])
    expect(missingInZh).toEqual([])
  })

  it('has no empty messages', () => {
    expect([...zh].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([])
    expect([...enFlat].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([])
  })

  it('uses the same {placeholders} in both languages', () => {
    const mismatched = [...zh].filter(([k, v]) => placeholders(v).join() !== placeholders(enFlat.get(k) ?? '').join()).map(([k]) => k)
    expect(mismatched).toEqual([])
  })

  it('avoids characters vue-i18n treats as syntax (| and @)', () => {
    const bad = [...zh, ...enFlat].filter(([, v]) => /[|@]/.test(v)).map(([k]) => k)
    expect(bad).toEqual([])
  })

  it('names every role and site kind the API knows', () => {
    for (const role of ROLES) expect(zh.has(`roles.${role}`), role).toBe(true)
    for (const kind of SITE_KINDS) expect(zh.has(`siteKinds.${kind}`), kind).toBe(true)
  })

  it('the zh-CN text is really Chinese (guards against pasting English into the primary locale)', () => {
    const untranslated = [...zh].filter(([k, v]) => !k.startsWith('app.') && !/[\u4e00-\u9fff]/.test(v)).map(([k]) => k)
    expect(untranslated).toEqual([])
  })
})

describe('keys used in the source', () => {
  const root = join(__dirname, '..', 'src')
  const used = new Map<string, string>()
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/\b(?:t|te)\(\s*['"]([A-Za-z0-9_.]+)['"]/g)) used.set(m[1]!, file)
    for (const m of text.matchAll(/\btitle:\s*'([a-z]+\.[A-Za-z0-9_.]+)'/g)) used.set(m[1]!, file)
  }

  it('finds the keys (sanity check of the scan)', () => {
    expect(used.size).toBeGreaterThan(50)
  })

  it('every static t(...) key exists in zh-CN', () => {
    const missing = [...used].filter(([k]) => !zh.has(k)).map(([k, f]) => `${k} (${f.slice(root.length + 1)})`)
    expect(missing).toEqual([])
  })
})

describe('initialLocale', () => {
  it('defaults to Chinese', () => {
    expect(DEFAULT_LOCALE).toBe('zh-CN')
    expect(initialLocale(null)).toBe('zh-CN')
    expect(initialLocale('fr')).toBe('zh-CN')
  })
  it('keeps a saved supported choice', () => {
    expect(initialLocale('en')).toBe('en')
    expect(initialLocale('zh-CN')).toBe('zh-CN')
  })
})
