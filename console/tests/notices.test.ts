import { describe, expect, it } from 'vitest'
import { noticeLink, noticesApi, noticeTone, readRate, targetCount } from '@/api/notices'
import { loadSent, rememberSent, SENT_NOTICES_MAX } from '@/utils/sentNotices'
import { fakeApi, json } from './support/fakeFetch'

function memoryStorage() {
  const map = new Map<string, string>()
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) }
}

describe('notices', () => {
  it('computes the read rate and counts targets', () => {
    expect(readRate({ recipients: 8, readCount: 6 })).toBe(75)
    expect(readRate({ recipients: 0, readCount: 0 })).toBe(0)
    expect(targetCount({ orgUnitIds: ['a'], siteIds: ['b', 'c'] })).toBe(3)
    expect(targetCount({})).toBe(0)
  })

  it('calls inbox, send, read and receipts', async () => {
    const { api, calls } = fakeApi((c) => (c.url.endsWith('/receipts') ? json({ noticeId: 'n1', recipients: 2, readCount: 1, read: [], unread: [] }) : json([])))
    const n = noticesApi(api)
    await n.inbox(true)
    await n.send({ title: '通知', body: '内容', targets: { siteIds: ['s1'] } })
    await n.markRead('n1')
    const r = await n.receipts('n1')
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/notices?unread=true', 'POST /api/notices', 'POST /api/notices/n1/read', 'GET /api/notices/n1/receipts'])
    expect(calls[1]!.body).toEqual({ title: '通知', body: '内容', targets: { siteIds: ['s1'] } })
    expect(r.readCount).toBe(1)
  })

  it('remembers sent notices per user, newest first, without duplicates, bounded', () => {
    const s = memoryStorage()
    rememberSent(s, 'zhang', { id: '1', title: 'a', sent: 't1' })
    rememberSent(s, 'zhang', { id: '2', title: 'b', sent: 't2' })
    rememberSent(s, 'zhang', { id: '1', title: 'a', sent: 't1' })
    expect(loadSent(s, 'zhang').map((n) => n.id)).toEqual(['1', '2'])
    expect(loadSent(s, 'li')).toEqual([])
    for (let i = 0; i < SENT_NOTICES_MAX + 5; i++) rememberSent(s, 'wang', { id: String(i), title: 't', sent: 't' })
    expect(loadSent(s, 'wang')).toHaveLength(SENT_NOTICES_MAX)
    s.setItem('videolink.sentNotices.bad', '{not json')
    expect(loadSent(s, 'bad')).toEqual([])
  })
})

describe('pushed notices', () => {
  it('lead a join prompt to the site terminal and everything else to the inbox', () => {
    expect(noticeLink('join-prompt')).toBe('/terminal')
    expect(noticeLink('reminder')).toBe('/notices')
    expect(noticeLink('general')).toBe('/notices')
  })

  it('make warnings and cancellations stand out and a started meeting good news', () => {
    expect(noticeTone('warning')).toBe('warning')
    expect(noticeTone('cancellation')).toBe('warning')
    expect(noticeTone('join-prompt')).toBe('success')
    expect(noticeTone('booking')).toBe('info')
  })
})
