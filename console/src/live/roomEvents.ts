import { normalizeLeg, normalizeStats, type Leg, type LegWire, type Room } from '@/api/rooms'

/**
 * The console hub's room events (issue 5 item 4), in one place so their names and payloads are easy to align with
 * the hub. Each payload carries `roomId` and the leg — either as `leg` (an object with `id`) or flat as `legId`
 * with the leg's fields beside it; `roomStats` may carry one `leg` or all `legs`. Both forms are accepted.
 */
export const ROOM_EVENT_NAMES = ['roomLegJoined', 'roomLegLeft', 'roomSpeaking', 'roomStats'] as const
export type RoomEventName = (typeof ROOM_EVENT_NAMES)[number]

export interface RoomLegPayload extends Partial<Omit<LegWire, 'id'>> {
  roomId: string
  leg?: LegWire | null
  legId?: string | null
  reason?: string | null
}

export interface RoomStatsPayload {
  roomId: string
  leg?: LegWire | null
  legId?: string | null
  legs?: LegWire[] | null
  stats?: LegWire['stats']
}

export interface RoomEvents {
  roomLegJoined: RoomLegPayload
  roomLegLeft: RoomLegPayload
  roomSpeaking: RoomLegPayload
  roomStats: RoomStatsPayload
}

/** The leg id a payload is about, whichever form it came in. */
export function legIdOf(payload: { leg?: { id?: string } | null; legId?: string | null }): string | null {
  return payload.leg?.id ?? payload.legId ?? null
}

function legFrom(payload: RoomLegPayload): Leg | null {
  const id = legIdOf(payload)
  if (!id) return null
  const { roomId: _roomId, leg, legId: _legId, reason: _reason, ...flat } = payload
  return normalizeLeg({ ...flat, ...(leg ?? {}), id })
}

function replaceLeg(room: Room, id: string, update: (leg: Leg) => Leg): Room {
  const index = room.legs.findIndex((l) => l.id === id)
  if (index < 0) return room
  const legs = room.legs.slice()
  legs[index] = update(legs[index]!)
  return { ...room, legs }
}

/**
 * Applies one room event to the room on screen and returns the new room (the same object when nothing changed or
 * the event is about another room). Pure, so the page can use a shallowRef and the tests need no hub.
 */
export function applyRoomEvent<K extends RoomEventName>(room: Room, name: K, payload: RoomEvents[K]): Room {
  if (!payload || payload.roomId !== room.id) return room
  switch (name) {
    case 'roomLegJoined': {
      const leg = legFrom(payload as RoomLegPayload)
      if (!leg) return room
      const existing = room.legs.findIndex((l) => l.id === leg.id)
      if (existing >= 0) return replaceLeg(room, leg.id, (old) => ({ ...old, ...leg, stats: leg.stats ?? old.stats }))
      return { ...room, legs: [...room.legs, leg] }
    }
    case 'roomLegLeft': {
      const id = legIdOf(payload)
      if (!id || !room.legs.some((l) => l.id === id)) return room
      return {
        ...room,
        legs: room.legs.filter((l) => l.id !== id),
        mainVenue: room.mainVenue === id ? null : room.mainVenue,
        rollCall: room.rollCall === id ? null : room.rollCall,
        activeSpeaker: room.activeSpeaker === id ? null : room.activeSpeaker,
      }
    }
    case 'roomSpeaking': {
      const id = legIdOf(payload)
      return id === room.activeSpeaker ? room : { ...room, activeSpeaker: id }
    }
    case 'roomStats': {
      const p = payload as RoomStatsPayload
      const updates: LegWire[] = p.legs ?? (legIdOf(p) ? [{ ...(p.leg ?? {}), id: legIdOf(p)!, stats: p.leg?.stats ?? p.stats }] : [])
      let next = room
      for (const u of updates) {
        next = replaceLeg(next, u.id, (old) => ({
          ...old,
          stats: normalizeStats(u.stats) ?? old.stats,
          muted: u.muted ?? old.muted,
          level: typeof u.level === 'number' ? u.level : old.level,
          state: u.state ?? old.state,
        }))
      }
      return next
    }
    default:
      return room
  }
}
