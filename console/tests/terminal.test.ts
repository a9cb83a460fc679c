import { describe, expect, it, vi } from 'vitest'
import { minutesLeft, siteToJoin, terminalApi, type LiveMeeting } from '@/api/terminal'
import { doorUrl, negotiate, type NegotiatingPeer } from '@/media/whip'
import type { ApiClient } from '@/api/http'

const meeting = (sites: Array<{ id: string; name: string }>, endUtc = '2026-11-30T10:00:00Z'): LiveMeeting => ({
  bookingId: 'b1',
  title: '组织工作例会',
  roomId: 'room 1',
  startUtc: '2026-11-30T09:00:00Z',
  endUtc,
  whipUrl: 'http://hub/whip/room%201',
  sites,
})

describe('site terminal', () => {
  it('joins as the only invited site, or as the one picked when there are several', () => {
    expect(siteToJoin(meeting([{ id: 's1', name: '一村' }]), undefined)).toBe('s1')
    const two = meeting([
      { id: 's1', name: '一村' },
      { id: 's2', name: '二村' },
    ])
    expect(siteToJoin(two, undefined)).toBeNull()
    expect(siteToJoin(two, 's2')).toBe('s2')
    expect(siteToJoin(two, 'someone-else')).toBeNull() // a pick that is no longer invited
    expect(siteToJoin(meeting([]), undefined)).toBeNull()
  })

  it('counts the minutes left and never below zero', () => {
    const m = meeting([], '2026-11-30T10:00:00Z')
    expect(minutesLeft(m, Date.parse('2026-11-30T09:30:00Z'))).toBe(30)
    expect(minutesLeft(m, Date.parse('2026-11-30T09:59:30Z'))).toBe(1)
    expect(minutesLeft(m, Date.parse('2026-11-30T10:05:00Z'))).toBe(0)
  })

  it('reads the running meetings from /api/meetings/live', async () => {
    const get = vi.fn(async () => [meeting([{ id: 's1', name: '一村' }])])
    const list = await terminalApi({ get } as unknown as ApiClient).live()
    expect(get).toHaveBeenCalledWith('/api/meetings/live')
    expect(list[0]!.sites[0]!.name).toBe('一村')
  })

  it('joins through WHIP on the site’s behalf (?site=)', async () => {
    expect(doorUrl('whip', 'room 1')).toBe('/whip/room%201')
    expect(doorUrl('whip', 'room 1', 'site/2')).toBe('/whip/room%201?site=site%2F2')
    const fetch = vi.fn(async () => new Response('v=0 answer', { status: 201, headers: { Location: '/whip/room%201/leg' } }))
    const pc: NegotiatingPeer & { remote?: RTCSessionDescriptionInit } = {
      localDescription: null,
      async createOffer() {
        return { type: 'offer', sdp: 'v=0 offer' }
      },
      async setLocalDescription(d) {
        ;(this as { localDescription: { sdp: string } | null }).localDescription = { sdp: d.sdp ?? '' }
      },
      async setRemoteDescription(d) {
        this.remote = d
      },
    }
    await negotiate('whip', 'room 1', 'tok', pc, fetch as unknown as typeof globalThis.fetch, 's1')
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('/whip/room%201?site=s1')
  })
})
