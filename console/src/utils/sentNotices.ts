import type { KeyValueStorage } from '@/auth/store'

// The hub lists a user's received notices, not the ones they sent; the console remembers what was sent from this
// browser (id, title, time) so the sender can come back to its read receipts (阅读回执).

export const SENT_NOTICES_KEY = 'videolink.sentNotices'
export const SENT_NOTICES_MAX = 50

export interface SentNotice {
  id: string
  title: string
  sent: string
}

export function loadSent(storage: KeyValueStorage | null, user: string): SentNotice[] {
  try {
    const raw = storage?.getItem(`${SENT_NOTICES_KEY}.${user}`)
    const parsed: unknown = raw ? JSON.parse(raw) : []
    return Array.isArray(parsed) ? parsed.filter((n): n is SentNotice => !!n && typeof n.id === 'string' && typeof n.title === 'string') : []
  } catch {
    return []
  }
}

/** Newest first, at most SENT_NOTICES_MAX, one entry per id. */
export function rememberSent(storage: KeyValueStorage | null, user: string, notice: SentNotice): SentNotice[] {
  const list = [notice, ...loadSent(storage, user).filter((n) => n.id !== notice.id)].slice(0, SENT_NOTICES_MAX)
  try {
    storage?.setItem(`${SENT_NOTICES_KEY}.${user}`, JSON.stringify(list))
  } catch {
    // storage full or disabled: the list still works for this visit
  }
  return list
}
