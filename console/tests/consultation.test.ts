import { describe, expect, it, vi } from 'vitest'
import { kioskPhase, kioskStep, ringSecondsLeft, waitMinutes } from '@/utils/consultation'
import { negotiate, WhipError, type NegotiatingPeer } from '@/media/whip'

describe('kiosk phases', () => {
  it('maps statuses and outcomes to what the screen shows', () => {
    expect(kioskPhase('Queued', null)).toBe('waiting')
    expect(kioskPhase('Ringing', null)).toBe('waiting')
    expect(kioskPhase('InCall', null)).toBe('inCall')
    expect(kioskPhase('Callback', 'Callback')).toBe('callback')
    expect(kioskPhase('Closed', 'Callback')).toBe('callback')
    expect(kioskPhase('Closed', 'Answered')).toBe('rating')
    expect(kioskPhase('Closed', 'Abandoned')).toBe('ended')
  })

  it('rounds the wait up to whole minutes and the ring down to zero', () => {
    expect(waitMinutes(0)).toBe(0)
    expect(waitMinutes(null)).toBe(0)
    expect(waitMinutes(1)).toBe(1)
    expect(waitMinutes(61)).toBe(2)
    expect(ringSecondsLeft('2026-11-30T03:00:30Z', new Date('2026-11-30T03:00:00Z'))).toBe(30)
    expect(ringSecondsLeft('2026-11-30T03:00:30Z', new Date('2026-11-30T03:01:00Z'))).toBe(0)
    expect(ringSecondsLeft('not a date', new Date())).toBe(0)
  })
})

function peer(): NegotiatingPeer & { remote?: RTCSessionDescriptionInit } {
  const p: NegotiatingPeer & { remote?: RTCSessionDescriptionInit; local: { sdp: string } | null } = {
    local: null,
    get localDescription() {
      return this.local
    },
    createOffer: async () => ({ type: 'offer', sdp: 'v=0 offer' }),
    setLocalDescription: async (d) => {
      p.local = { sdp: d.sdp ?? '' }
    },
    setRemoteDescription: async (d) => {
      p.remote = d
    },
  }
  return p
}

describe('WHIP/WHEP negotiation', () => {
  it('posts the offer as application/sdp with the token and applies the answer', async () => {
    const fetch = vi.fn(async () => new Response('v=0 answer', { status: 201, headers: { Location: '/whip/r1/leg1' } }))
    const pc = peer()
    const location = await negotiate('whip', 'r1', 'tok', pc, fetch as unknown as typeof globalThis.fetch)
    expect(location).toBe('/whip/r1/leg1')
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/whip/r1')
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/sdp')
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok')
    expect(init.body).toBe('v=0 offer')
    expect(pc.remote).toEqual({ type: 'answer', sdp: 'v=0 answer' })
  })

  it('fails with the status when the hub refuses the offer', async () => {
    const fetch = vi.fn(async () => new Response('{"title":"Not found"}', { status: 404 }))
    await expect(negotiate('whep', 'r1', 'tok', peer(), fetch as unknown as typeof globalThis.fetch)).rejects.toMatchObject({ status: 404 })
    await expect(negotiate('whep', 'r1', 'tok', peer(), fetch as unknown as typeof globalThis.fetch)).rejects.toBeInstanceOf(WhipError)
  })
})

describe('kiosk steps', () => {
  it('joins the room when the call connects and stays when the update repeats', () => {
    expect(kioskStep(null, { status: 'Queued' })).toEqual({ phase: 'waiting', transferring: false, media: 'none' })
    expect(kioskStep(null, { status: 'InCall', roomId: 'r1' })).toEqual({ phase: 'inCall', transferring: false, media: 'join' })
    expect(kioskStep('r1', { status: 'InCall', roomId: 'r1' })).toEqual({ phase: 'inCall', transferring: false, media: 'none' })
    expect(kioskStep('r1', { status: 'InCall', roomId: 'r2' }).media).toBe('rejoin')
    expect(kioskStep(null, { status: 'InCall', roomId: null }).phase).toBe('waiting')
  })

  it('keeps the villager in the room while a transfer rings the next expert', () => {
    expect(kioskStep('r1', { status: 'Queued', roomId: 'r1' })).toEqual({ phase: 'inCall', transferring: true, media: 'none' })
    expect(kioskStep('r1', { status: 'Ringing', roomId: 'r1' })).toEqual({ phase: 'inCall', transferring: true, media: 'none' })
  })

  it('leaves the room when the call ends, and asks for a rating only after an answered call', () => {
    expect(kioskStep('r1', { status: 'Closed', outcome: 'Answered' })).toEqual({ phase: 'rating', transferring: false, media: 'leave' })
    expect(kioskStep('r1', { status: 'Closed', outcome: 'Callback' })).toEqual({ phase: 'callback', transferring: false, media: 'leave' })
    expect(kioskStep(null, { status: 'Closed', outcome: 'Abandoned' })).toEqual({ phase: 'ended', transferring: false, media: 'none' })
  })
})
