import type { ApiClient } from './http'

// Notices with read receipts (信息提醒 + 阅读回执, issue 8 item 3).

export interface NoticeTargets {
  orgUnitIds?: string[]
  siteIds?: string[]
  userIds?: string[]
}

export interface NoticeRequest {
  title: string
  body: string
  targets: NoticeTargets
  bookingId?: string | null
}

export interface Notice {
  id: string
  title: string
  body: string
  /** General, Booking, Cancellation, Reminder, Supervision … */
  kind: string
  bookingId: string | null
  sent: string
  /** When the signed-in user read it; null while unread. */
  read: string | null
  attachmentName: string | null
}

export interface Receipt {
  userId: string
  username: string | null
  displayName: string | null
  siteId: string | null
  read: string | null
}

export interface Receipts {
  noticeId: string
  recipients: number
  readCount: number
  read: Receipt[]
  unread: Receipt[]
}

/** Share of recipients who read the notice, 0–100 (0 when nobody was addressed). */
export function readRate(r: Pick<Receipts, 'recipients' | 'readCount'>): number {
  return r.recipients > 0 ? Math.round((r.readCount / r.recipients) * 100) : 0
}

/** Number of targets a request names (the hub wants at least one). */
export function targetCount(t: NoticeTargets): number {
  return (t.orgUnitIds?.length ?? 0) + (t.siteIds?.length ?? 0) + (t.userIds?.length ?? 0)
}

const notice = (id: string) => `/api/notices/${encodeURIComponent(id)}`

/** What the hub pushes on the console channel (`notice`) when a notice reaches the signed-in user's unit. */
export interface NoticePush {
  id: string
  title: string
  kind: string
  bookingId: string | null
}

/** Where a pushed notice leads: a join prompt to the site terminal (入会), anything else to the inbox. */
export function noticeLink(kind: string): string {
  return kind === 'join-prompt' ? '/terminal' : '/notices'
}

/** How loud the toast is: warnings and cancellations stand out, a meeting that started is good news. */
export function noticeTone(kind: string): 'success' | 'warning' | 'info' {
  if (kind === 'warning' || kind === 'cancellation') return 'warning'
  return kind === 'join-prompt' ? 'success' : 'info'
}

export function noticesApi(api: ApiClient) {
  return {
    inbox: (unreadOnly = false) => api.get<Notice[]>('/api/notices', unreadOnly ? { unread: true } : undefined),
    get: (id: string) => api.get<Notice>(notice(id)),
    send: (req: NoticeRequest) => api.post<Notice>('/api/notices', req),
    markRead: (id: string) => api.post<{ noticeId: string; read: string }>(`${notice(id)}/read`),
    receipts: (id: string) => api.get<Receipts>(`${notice(id)}/receipts`),
    attachmentPath: (id: string) => `${notice(id)}/attachment`,
  }
}

export type NoticesApi = ReturnType<typeof noticesApi>
