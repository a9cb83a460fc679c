import { describe, expect, it } from 'vitest'
import { isRoomPin, normalizeRoom, roomsApi } from '@/api/rooms'
import { dialTagType, trimAttempts, type DialAttempt } from '@/utils/dialAttempts'
import { fakeApi } from './support/fakeFetch'

describe('room PIN and lock', () => {
  it('a PIN is 4 to 8 digits', () => {
    expect(isRoomPin('1234')).toBe(true)
    expect(isRoomPin('12345678')).toBe(true)
    expect(isRoomPin('123')).toBe(false)
    expect(isRoomPin('123456789')).toBe(false)
    expect(isRoomPin('12a4')).toBe(false)
    expect(isRoomPin(' 1234')).toBe(false)
  })

  it('the room reads locked and hasPin from the live state, false without it', () => {
    const wire = { id: 'r', name: '例会', sipNumber: '9001', orgUnitId: 'u' }
    expect(normalizeRoom({ ...wire, live: { locked: true, hasPin: true } })).toMatchObject({ locked: true, hasPin: true })
    expect(normalizeRoom(wire)).toMatchObject({ locked: false, hasPin: false })
  })

  it('locks with PUT /lock and sets or clears the PIN with PUT /pin', async () => {
    const { api, calls } = fakeApi()
    const rooms = roomsApi(api)
    await rooms.setLocked('r1', true)
    await rooms.setPin('r1', '2468')
    await rooms.setPin('r1', null)
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['PUT', '/api/rooms/r1/lock', { locked: true }],
      ['PUT', '/api/rooms/r1/pin', { pin: '2468' }],
      ['PUT', '/api/rooms/r1/pin', { pin: null }],
    ])
  })
})

describe('dial attempts', () => {
  const a = (key: number, state: DialAttempt['state']): DialAttempt => ({ key, target: `t${key}`, request: { sipUri: 'sip:1@h' }, state, reason: '', attempts: 1, legId: null })

  it('keeps the newest few, dropping answered ones (their leg is in the list) before failures', () => {
    const kept = trimAttempts([a(6, 'ringing'), a(5, 'failed'), a(4, 'answered'), a(3, 'failed'), a(2, 'failed'), a(1, 'failed')], 5)
    expect(kept.map((x) => x.key)).toEqual([6, 5, 3, 2, 1])
    expect(trimAttempts([a(1, 'failed')]).length).toBe(1)
  })

  it('colours', () => {
    expect(dialTagType('answered')).toBe('success')
    expect(dialTagType('failed')).toBe('danger')
    expect(dialTagType('ringing')).toBe('warning')
    expect(dialTagType('retrying')).toBe('warning')
  })
})
