import { describe, expect, it } from 'vitest'
import { AUTH_STORAGE_KEY, createAuthStore, isTokenExpired, jwtExpiry, type KeyValueStorage } from '@/auth/store'
import type { CurrentUser } from '@/api/types'

class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>()
  getItem(key: string) {
    return this.map.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.map.set(key, value)
  }
  removeItem(key: string) {
    this.map.delete(key)
  }
}

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (payload: object) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}.sig`

const NOW = Date.UTC(2026, 10, 22, 2, 0, 0)
const nowSec = NOW / 1000
const user: CurrentUser = { id: 'u1', username: 'admin', displayName: '管理员', role: 'DistrictAdmin', orgUnitId: 'ou-root', orgUnitName: '区委组织部' }

describe('jwtExpiry / isTokenExpired', () => {
  it('reads exp from a JWT payload', () => {
    expect(jwtExpiry(jwt({ exp: 1234 }))).toBe(1234)
  })
  it('returns null for opaque tokens and payloads without exp', () => {
    expect(jwtExpiry('opaque-token')).toBeNull()
    expect(jwtExpiry(jwt({ sub: 'x' }))).toBeNull()
    expect(jwtExpiry('a.!!!.c')).toBeNull()
  })
  it('treats a token as expired at its exp, and opaque tokens as not expired', () => {
    expect(isTokenExpired(jwt({ exp: nowSec }), NOW)).toBe(true)
    expect(isTokenExpired(jwt({ exp: nowSec + 60 }), NOW)).toBe(false)
    expect(isTokenExpired('opaque', NOW)).toBe(false)
  })
})

describe('createAuthStore', () => {
  it('starts signed out with empty storage', () => {
    const store = createAuthStore(new MemoryStorage(), AUTH_STORAGE_KEY, () => NOW)
    expect(store.isAuthenticated.value).toBe(false)
    expect(store.token()).toBeNull()
    expect(store.state.user).toBeNull()
  })

  it('persists the session and restores it in a new store (page reload)', () => {
    const storage = new MemoryStorage()
    const token = jwt({ exp: nowSec + 3600 })
    const a = createAuthStore(storage, AUTH_STORAGE_KEY, () => NOW)
    a.setSession(token)
    a.setUser(user)
    expect(a.isAuthenticated.value).toBe(true)

    const b = createAuthStore(storage, AUTH_STORAGE_KEY, () => NOW)
    expect(b.token()).toBe(token)
    expect(b.state.user).toEqual(user)
    expect(b.hasRole('DistrictAdmin', 'OrgStaff')).toBe(true)
    expect(b.hasRole('Expert')).toBe(false)
  })

  it('clear() signs out and removes the stored session', () => {
    const storage = new MemoryStorage()
    const store = createAuthStore(storage, AUTH_STORAGE_KEY, () => NOW)
    store.setSession('opaque', user)
    store.clear()
    expect(store.isAuthenticated.value).toBe(false)
    expect(store.state.user).toBeNull()
    expect(storage.map.has(AUTH_STORAGE_KEY)).toBe(false)
  })

  it('drops an expired stored token on load', () => {
    const storage = new MemoryStorage()
    storage.setItem(AUTH_STORAGE_KEY, JSON.stringify({ token: jwt({ exp: nowSec - 1 }), user }))
    const store = createAuthStore(storage, AUTH_STORAGE_KEY, () => NOW)
    expect(store.isAuthenticated.value).toBe(false)
    expect(store.state.user).toBeNull()
    expect(storage.map.has(AUTH_STORAGE_KEY)).toBe(false)
  })

  it('ignores and removes corrupt stored data', () => {
    const storage = new MemoryStorage()
    storage.setItem(AUTH_STORAGE_KEY, '{not json')
    const store = createAuthStore(storage, AUTH_STORAGE_KEY, () => NOW)
    expect(store.isAuthenticated.value).toBe(false)
    expect(storage.map.has(AUTH_STORAGE_KEY)).toBe(false)
  })

  it('stops handing out a token once it expires while the page is open', () => {
    let now = NOW
    const store = createAuthStore(new MemoryStorage(), AUTH_STORAGE_KEY, () => now)
    store.setSession(jwt({ exp: nowSec + 10 }))
    expect(store.token()).not.toBeNull()
    now = NOW + 11_000
    expect(store.token()).toBeNull()
  })

  it('refuses an empty token', () => {
    const store = createAuthStore(null)
    expect(() => store.setSession('')).toThrow()
  })

  it('works without storage (private mode)', () => {
    const store = createAuthStore(null, AUTH_STORAGE_KEY, () => NOW)
    store.setSession('opaque', user)
    expect(store.isAuthenticated.value).toBe(true)
  })
})
