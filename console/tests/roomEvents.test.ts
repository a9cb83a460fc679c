import { describe, expect, it } from 'vitest'
import { normalizeRoom, type Room } from '@/api/rooms'
import { ROOM_EVENT_NAMES, applyRoomEvent, legIdOf } from '@/live/roomEvents'

const base = (): Room =>
  normalizeRoom({
    id: 'r1',
    name: 'r',
    sipNumber: '9',
    orgUnitId: 'u',
    live: { mode: 'MainVenue', mainVenue: 'a', rollCall: 'a', legs: [{ id: 'a', displayName: 'A', kind: 'Sip', state: 'Connected' }] },
  })

describe('room events', () => {
  it('are the four names the brief fixes', () => {
    expect([...ROOM_EVENT_NAMES]).toEqual(['roomLegJoined', 'roomLegLeft', 'roomSpeaking', 'roomStats'])
  })

  it('reads the leg id from a nested leg or a flat legId', () => {
    expect(legIdOf({ leg: { id: 'x' } })).toBe('x')
    expect(legIdOf({ legId: 'y' })).toBe('y')
    expect(legIdOf({})).toBeNull()
  })

  it('adds a joined leg (nested form) and updates it instead of duplicating', () => {
    let room = applyRoomEvent(base(), 'roomLegJoined', { roomId: 'r1', leg: { id: 'b', displayName: 'B', kind: 'WebRtc' } })
    expect(room.legs.map((l) => l.id)).toEqual(['a', 'b'])
    room = applyRoomEvent(room, 'roomLegJoined', { roomId: 'r1', leg: { id: 'b', displayName: 'B2' } })
    expect(room.legs).toHaveLength(2)
    expect(room.legs[1]!.displayName).toBe('B2')
  })

  it('adds a joined leg sent flat (roomId, legId, displayName …)', () => {
    const room = applyRoomEvent(base(), 'roomLegJoined', { roomId: 'r1', legId: 'c', displayName: 'C', kind: 'Sip', siteId: 's9' })
    expect(room.legs[1]).toMatchObject({ id: 'c', displayName: 'C', siteId: 's9' })
  })

  it('removes a leg that left and clears the roles it held', () => {
    const room = applyRoomEvent(base(), 'roomLegLeft', { roomId: 'r1', legId: 'a', reason: 'hangup' })
    expect(room.legs).toEqual([])
    expect(room.mainVenue).toBeNull()
    expect(room.rollCall).toBeNull()
  })

  it('marks the active speaker', () => {
    expect(applyRoomEvent(base(), 'roomSpeaking', { roomId: 'r1', leg: { id: 'a' } }).activeSpeaker).toBe('a')
  })

  it('updates media stats for all legs or one leg', () => {
    let room = applyRoomEvent(base(), 'roomStats', { roomId: 'r1', legs: [{ id: 'a', muted: true, stats: { inboundKbps: 500, outboundKbps: 300, lossPercent: 2, jitterMs: 8, rttMs: 40 } }] })
    expect(room.legs[0]).toMatchObject({ muted: true, stats: { inboundKbps: 500, lossPercent: 2, rttMs: 40 } })
    room = applyRoomEvent(room, 'roomStats', { roomId: 'r1', legId: 'a', stats: { inboundKbps: 100, outboundKbps: 1, lossPercent: 0, jitterMs: 1, rttMs: 5 } })
    expect(room.legs[0]!.stats?.inboundKbps).toBe(100)
  })

  it('ignores events about other rooms and unknown legs (same object back)', () => {
    const room = base()
    expect(applyRoomEvent(room, 'roomLegLeft', { roomId: 'other', legId: 'a' })).toBe(room)
    expect(applyRoomEvent(room, 'roomLegLeft', { roomId: 'r1', legId: 'zzz' })).toBe(room)
    expect(applyRoomEvent(room, 'roomStats', { roomId: 'r1', legs: [{ id: 'zzz' }] })).toBe(room)
  })
})
