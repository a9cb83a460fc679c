import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  FALLBACK_POLL_MS,
  liveRetryDelay,
  needsResync,
  nextLiveState,
  openLiveChannel,
  pollDelay,
  type LiveChannelState,
  type LiveConnection,
} from '@/live/consultationLive'
import { shapeStats } from '@/media/whip'

describe('live channel state machine', () => {
  it('is live only while connected, and falls back on any loss', () => {
    expect(nextLiveState('connecting', 'connected')).toBe('live')
    expect(nextLiveState('connecting', 'startFailed')).toBe('fallback')
    expect(nextLiveState('live', 'reconnecting')).toBe('fallback')
    expect(nextLiveState('fallback', 'reconnected')).toBe('live')
    expect(nextLiveState('live', 'closed')).toBe('fallback')
    expect(nextLiveState('live', 'stopped')).toBe('stopped')
    expect(nextLiveState('stopped', 'connected')).toBe('stopped')
  })

  it('polls slowly only while pushes cannot arrive', () => {
    expect(pollDelay('connecting')).toBe(FALLBACK_POLL_MS)
    expect(pollDelay('fallback')).toBe(FALLBACK_POLL_MS)
    expect(pollDelay('live')).toBeNull()
    expect(pollDelay('stopped')).toBeNull()
  })

  it('re-reads the state on every arrival in live, not while staying there', () => {
    expect(needsResync('connecting', 'live')).toBe(true)
    expect(needsResync('fallback', 'live')).toBe(true)
    expect(needsResync('live', 'live')).toBe(false)
    expect(needsResync('live', 'fallback')).toBe(false)
  })

  it('backs off reconnects and then keeps trying', () => {
    expect([0, 1, 2, 3, 4, 40].map(liveRetryDelay)).toEqual([0, 2_000, 5_000, 10_000, 15_000, 15_000])
  })
})

/** A stand-in HubConnection whose start succeeds or fails on command and whose callbacks the test fires. */
function fakeConnection() {
  const handlers = new Map<string, (payload: never) => void>()
  const callbacks = { reconnecting: [] as (() => void)[], reconnected: [] as (() => void)[], close: [] as (() => void)[] }
  const c = {
    failStarts: 0,
    starts: 0,
    stops: 0,
    handlers,
    callbacks,
    on: (name: string, h: (payload: never) => void) => void handlers.set(name, h),
    onreconnecting: (cb: () => void) => void callbacks.reconnecting.push(cb),
    onreconnected: (cb: () => void) => void callbacks.reconnected.push(cb),
    onclose: (cb: () => void) => void callbacks.close.push(cb),
    start: async () => {
      c.starts++
      if (c.failStarts > 0) {
        c.failStarts--
        throw new Error('no hub')
      }
    },
    stop: async () => {
      c.stops++
    },
  }
  return c satisfies LiveConnection
}

describe('openLiveChannel', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('goes live, delivers pushes, does not poll, and resyncs once on connect', async () => {
    const conn = fakeConnection()
    const resync = vi.fn()
    const pushed: unknown[] = []
    const states: LiveChannelState[] = []
    const channel = openLiveChannel({ connect: async () => conn, handlers: { consultationUpdated: (p) => pushed.push(p) }, resync, onState: (s) => states.push(s) })
    await vi.advanceTimersByTimeAsync(0)
    expect(channel.state).toBe('live')
    expect(resync).toHaveBeenCalledTimes(1)

    conn.handlers.get('consultationUpdated')!({ id: 'a', position: 2 } as never)
    expect(pushed).toEqual([{ id: 'a', position: 2 }])

    await vi.advanceTimersByTimeAsync(FALLBACK_POLL_MS * 4)
    expect(resync).toHaveBeenCalledTimes(1) // live: no polling
    expect(states).toEqual(['connecting', 'live'])
    await channel.stop()
    expect(conn.stops).toBe(1)
  })

  it('polls slowly while reconnecting and resyncs when back', async () => {
    const conn = fakeConnection()
    const resync = vi.fn()
    const channel = openLiveChannel({ connect: async () => conn, handlers: {}, resync })
    await vi.advanceTimersByTimeAsync(0)
    resync.mockClear()

    conn.callbacks.reconnecting.forEach((cb) => cb())
    expect(channel.state).toBe('fallback')
    await vi.advanceTimersByTimeAsync(FALLBACK_POLL_MS * 3 + 10)
    expect(resync).toHaveBeenCalledTimes(3)

    conn.callbacks.reconnected.forEach((cb) => cb())
    expect(channel.state).toBe('live')
    expect(resync).toHaveBeenCalledTimes(4)
    await vi.advanceTimersByTimeAsync(FALLBACK_POLL_MS * 3)
    expect(resync).toHaveBeenCalledTimes(4)
    await channel.stop()
  })

  it('keeps polling and retrying while the hub cannot be reached, then goes live', async () => {
    const conn = fakeConnection()
    conn.failStarts = 2
    const resync = vi.fn()
    const channel = openLiveChannel({ connect: async () => conn, handlers: {}, resync })
    await vi.advanceTimersByTimeAsync(0)
    expect(channel.state).toBe('fallback')
    await vi.advanceTimersByTimeAsync(FALLBACK_POLL_MS + 10)
    expect(resync).toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(20_000)
    expect(conn.starts).toBe(3)
    expect(channel.state).toBe('live')
    await channel.stop()
  })

  it('starts again after the connection closes, and stays stopped once stopped', async () => {
    const conn = fakeConnection()
    const channel = openLiveChannel({ connect: async () => conn, handlers: {}, resync: () => undefined })
    await vi.advanceTimersByTimeAsync(0)
    conn.callbacks.close.forEach((cb) => cb())
    expect(channel.state).toBe('fallback')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(conn.starts).toBe(2)
    expect(channel.state).toBe('live')

    await channel.stop()
    conn.callbacks.close.forEach((cb) => cb())
    await vi.advanceTimersByTimeAsync(60_000)
    expect(conn.starts).toBe(2)
    expect(channel.state).toBe('stopped')
  })
})

describe('call statistics', () => {
  it('sums inbound and outbound RTP counters per kind and ignores other entries', () => {
    const stats = shapeStats(
      [
        { type: 'inbound-rtp', kind: 'video', packetsReceived: 100, bytesReceived: 90_000, framesDecoded: 30, packetsLost: 1 },
        { type: 'inbound-rtp', kind: 'audio', packetsReceived: 50, bytesReceived: 8_000 },
        { type: 'outbound-rtp', kind: 'video', packetsSent: 120, bytesSent: 100_000 },
        { type: 'outbound-rtp', mediaType: 'audio', packetsSent: 49, bytesSent: 7_900 },
        { type: 'candidate-pair', packetsReceived: 999 } as never,
        { type: 'inbound-rtp', kind: 'video', packetsReceived: 1, bytesReceived: 10, framesDecoded: 1 },
      ],
      'connected',
    )
    expect(stats).toEqual({
      connectionState: 'connected',
      inbound: {
        audio: { packetsReceived: 50, bytesReceived: 8_000, packetsLost: 0, framesDecoded: 0 },
        video: { packetsReceived: 101, bytesReceived: 90_010, packetsLost: 1, framesDecoded: 31 },
      },
      outbound: { audio: { packetsSent: 49, bytesSent: 7_900 }, video: { packetsSent: 120, bytesSent: 100_000 } },
    })
  })

  it('gives zeros for a report without RTP streams', () => {
    const stats = shapeStats([])
    expect(stats.inbound.video.framesDecoded).toBe(0)
    expect(stats.outbound.audio.packetsSent).toBe(0)
  })
})
