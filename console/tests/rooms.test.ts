import { describe, expect, it } from 'vitest'
import { isSipUri, normalizeRoom, roomsApi, type RoomWire } from '@/api/rooms'
import { fakeApi, json } from './support/fakeFetch'

const ROOM = '11111111-1111-1111-1111-111111111111'
const LEG = '22222222-2222-2222-2222-222222222222'

const liveRoom: RoomWire = {
  id: ROOM,
  name: '组织工作例会',
  sipNumber: '912345',
  orgUnitId: 'u1',
  legs: [],
  live: {
    mode: 'VoiceActivated',
    mainVenue: LEG,
    rollCall: null,
    polling: { legIds: [LEG], intervalSeconds: 10, current: LEG },
    activeSpeaker: LEG,
    locked: false,
    legs: [
      {
        id: LEG,
        kind: 'Sip',
        displayName: '城关镇会议室',
        siteId: 's1',
        state: 'Connected',
        sendsVideo: true,
        muted: true,
        level: 0.4,
        stats: { inboundKbps: 1800.4, outboundKbps: 900, lossPercent: 0.5, jitterMs: 12, rttMs: null },
      },
    ],
  },
}

describe('normalizeRoom', () => {
  it('reads the chair state and legs with their media stats from `live`', () => {
    const room = normalizeRoom(liveRoom)
    expect(room.controllable).toBe(true)
    expect(room.mode).toBe('VoiceActivated')
    expect(room.mainVenue).toBe(LEG)
    expect(room.polling?.intervalSeconds).toBe(10)
    expect(room.legs).toHaveLength(1)
    expect(room.legs[0]).toMatchObject({ displayName: '城关镇会议室', kind: 'Sip', muted: true, sendsVideo: true })
    expect(room.legs[0]!.stats).toMatchObject({ inboundKbps: 1800.4, lossPercent: 0.5, jitterMs: 12, rttMs: null })
  })

  it('accepts a room from a hub without the conference engine (legs are {id, role, state})', () => {
    const room = normalizeRoom({ id: ROOM, name: 'r', sipNumber: '9', orgUnitId: 'u', legs: [{ id: 'abcdef123456', role: 'Subscriber', state: 'connected' }] })
    expect(room.controllable).toBe(false)
    expect(room.mode).toBe('MainVenue')
    expect(room.legs[0]).toMatchObject({ id: 'abcdef123456', displayName: 'abcdef12', sendsVideo: false, stats: null })
  })
})

describe('roomsApi', () => {
  it('creates a room with POST /api/rooms and returns it normalized', async () => {
    const { api, calls } = fakeApi(json({ ...liveRoom, live: null }, 201))
    const room = await roomsApi(api).create({ name: '例会', orgUnitId: 'u1' })
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/rooms', body: { name: '例会', orgUnitId: 'u1' } })
    expect(room.name).toBe('组织工作例会')
  })

  it('sends every chair control to the route of issue 5 item 4', async () => {
    const { api, calls } = fakeApi()
    const rooms = roomsApi(api)
    await rooms.mute(ROOM, LEG)
    await rooms.unmute(ROOM, LEG)
    await rooms.setMainVenue(ROOM, LEG)
    await rooms.rollCall(ROOM, LEG)
    await rooms.endRollCall(ROOM)
    await rooms.startPolling(ROOM, [LEG], 15)
    await rooms.stopPolling(ROOM)
    await rooms.setVideoMode(ROOM, 'VoiceActivated')
    await rooms.hangUp(ROOM, LEG)
    await rooms.dial(ROOM, { endpointId: 'e1' })
    await rooms.dial(ROOM, { sipUri: 'sip:8001@hub' })
    await rooms.end(ROOM)
    const r = `/api/rooms/${ROOM}`
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', `${r}/legs/${LEG}/mute`, undefined],
      ['POST', `${r}/legs/${LEG}/unmute`, undefined],
      ['PUT', `${r}/main-venue`, { legId: LEG }],
      ['POST', `${r}/roll-call`, { legId: LEG }],
      ['DELETE', `${r}/roll-call`, undefined],
      ['POST', `${r}/polling`, { legIds: [LEG], intervalSeconds: 15 }],
      ['DELETE', `${r}/polling`, undefined],
      ['PUT', `${r}/video-mode`, { mode: 'VoiceActivated' }],
      ['DELETE', `${r}/legs/${LEG}`, undefined],
      ['POST', `${r}/legs`, { endpointId: 'e1' }],
      ['POST', `${r}/legs`, { sipUri: 'sip:8001@hub' }],
      ['DELETE', r, undefined],
    ])
  })

  it('lists rooms from GET /api/rooms', async () => {
    const { api, calls } = fakeApi(json([liveRoom]))
    const list = await roomsApi(api).list()
    expect(calls[0]!.url).toBe('/api/rooms')
    expect(list[0]!.legs).toHaveLength(1)
  })
})

describe('isSipUri', () => {
  it('accepts sip:user@host and rejects anything else', () => {
    expect(isSipUri('sip:8001@10.0.0.5')).toBe(true)
    expect(isSipUri(' SIP:room@hub.local ')).toBe(true)
    expect(isSipUri('8001')).toBe(false)
    expect(isSipUri('sip:8001')).toBe(false)
    expect(isSipUri('tel:+86123')).toBe(false)
  })
})
