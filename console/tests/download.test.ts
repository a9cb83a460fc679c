import { describe, expect, it, vi } from 'vitest'
import { createDownloader, filenameFromDisposition } from '@/api/download'
import { ApiError } from '@/api/http'

describe('filenameFromDisposition', () => {
  it('prefers the RFC 6266 UTF-8 name, then the plain one', () => {
    expect(filenameFromDisposition(`attachment; filename=attendance.csv; filename*=UTF-8''%E8%80%83%E5%8B%A4.csv`)).toBe('考勤.csv')
    expect(filenameFromDisposition('attachment; filename="a b.xlsx"')).toBe('a b.xlsx')
    expect(filenameFromDisposition('attachment')).toBeNull()
    expect(filenameFromDisposition(null)).toBeNull()
  })
})

describe('createDownloader', () => {
  it('fetches with the bearer token and names the file from the response', async () => {
    const fetch = vi.fn(async () => new Response('BEGIN:VCALENDAR', { status: 200, headers: { 'content-disposition': 'attachment; filename="b.ics"' } }))
    const file = await createDownloader({ getToken: () => 'tok', fetch: fetch as unknown as typeof globalThis.fetch }).fetchFile('/api/bookings/b.ics', 'fallback.ics')
    expect(file.filename).toBe('b.ics')
    expect(await file.blob.text()).toBe('BEGIN:VCALENDAR')
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1]
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok')
  })

  it('uses the fallback name and reports failures as ApiError (401 ends the session)', async () => {
    const ok = vi.fn(async () => new Response('x', { status: 200 }))
    expect((await createDownloader({ fetch: ok as unknown as typeof globalThis.fetch }).fetchFile('/f', 'f.csv')).filename).toBe('f.csv')
    const onUnauthorized = vi.fn()
    const denied = vi.fn(async () => new Response(JSON.stringify({ title: 'Unauthorized' }), { status: 401, headers: { 'content-type': 'application/problem+json' } }))
    const err = await createDownloader({ fetch: denied as unknown as typeof globalThis.fetch, onUnauthorized }).fetchFile('/f', 'f').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(401)
    expect(onUnauthorized).toHaveBeenCalledOnce()
    const offline = vi.fn(async () => {
      throw new TypeError('Failed to fetch')
    })
    expect(await createDownloader({ fetch: offline as unknown as typeof globalThis.fetch }).fetchFile('/f', 'f').catch((e: ApiError) => e.kind)).toBe('network')
  })
})
