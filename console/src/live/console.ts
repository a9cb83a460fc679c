import { onBeforeUnmount, onMounted, ref } from 'vue'
import type { HubConnection } from '@microsoft/signalr'
import { auth } from '@/auth/store'
import type { PresenceChange } from './presence'
import type { DeviceStatusEvent } from '@/api/stations'
import type { RoomEvents } from './roomEvents'
import type { NoticePush } from '@/api/notices'

/** The hub's live channel for the staff console (hub/VideoLink.Hub/Realtime/ConsoleHub.cs). */
export const CONSOLE_HUB_PATH = '/hubs/console'

/** A booked meeting started (its room is open) or ended, sent to the consoles that can see an invited site. */
export interface MeetingLiveChange {
  bookingId: string
  roomId: string | null
  live: boolean
}

/** A consultation request queued, answered or closed in the user's subtree (hub/VideoLink.Hub/Consultations/CategoryQueue.cs). */
export interface ConsultationChanged {
  id: string
  siteId: string
  status: string
  outcome?: string | null
}

export interface LiveEvents extends RoomEvents {
  siteOnline: PresenceChange
  endpointOnline: PresenceChange
  deviceStatus: DeviceStatusEvent
  meetingLive: MeetingLiveChange
  notice: NoticePush
  consultationChanged: ConsultationChanged
}
export type LiveEventName = keyof LiveEvents
export type LiveState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting'

export const liveState = ref<LiveState>('disconnected')

const handlers: { [K in LiveEventName]: Set<(payload: LiveEvents[K]) => void> } = {
  siteOnline: new Set(),
  endpointOnline: new Set(),
  deviceStatus: new Set(),
  meetingLive: new Set(),
  notice: new Set(),
  consultationChanged: new Set(),
  roomLegJoined: new Set(),
  roomLegLeft: new Set(),
  roomSpeaking: new Set(),
  roomStats: new Set(),
}

let connection: HubConnection | null = null
let retryTimer: ReturnType<typeof setTimeout> | undefined
let stopped = true

// Reconnect backs off 0, 2, 5, 10 s and then keeps trying every 30 s: village lines drop often and the
// console must recover by itself, without a reload.
const RETRY_DELAYS_MS = [0, 2_000, 5_000, 10_000]
const RETRY_MAX_MS = 30_000
const retryDelay = (attempt: number) => RETRY_DELAYS_MS[attempt] ?? RETRY_MAX_MS

async function connect(attempt: number): Promise<void> {
  if (stopped || !connection) return
  liveState.value = attempt === 0 ? 'connecting' : 'reconnecting'
  try {
    await connection.start()
    liveState.value = 'connected'
  } catch {
    if (stopped || !auth.token()) {
      liveState.value = 'disconnected'
      return
    }
    liveState.value = 'reconnecting'
    retryTimer = setTimeout(() => void connect(attempt + 1), Math.max(retryDelay(attempt + 1), 1_000))
  }
}

/**
 * Opens the live channel for the signed-in user (idempotent). SignalR is loaded on demand so the
 * login page and the kiosk do not download it. The JWT goes in `access_token` on the WebSocket URL,
 * which is where ASP.NET Core's bearer handler looks for it on hub requests.
 */
export async function startLive(): Promise<void> {
  if (connection || !auth.token()) return
  stopped = false
  const signalr = await import('@microsoft/signalr')
  if (stopped) return
  connection = new signalr.HubConnectionBuilder()
    .withUrl(CONSOLE_HUB_PATH, { accessTokenFactory: () => auth.token() ?? '' })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => retryDelay(ctx.previousRetryCount) })
    .configureLogging(import.meta.env.DEV ? signalr.LogLevel.Information : signalr.LogLevel.Error)
    .build()
  for (const name of Object.keys(handlers) as LiveEventName[]) {
    connection.on(name, (payload: LiveEvents[typeof name]) => {
      for (const handler of handlers[name]) handler(payload as never)
    })
  }
  connection.onreconnecting(() => (liveState.value = 'reconnecting'))
  connection.onreconnected(() => (liveState.value = 'connected'))
  connection.onclose(() => {
    // Automatic reconnect gave up (or the server closed us): start over unless we are signing out.
    if (stopped) return
    liveState.value = 'reconnecting'
    retryTimer = setTimeout(() => void connect(1), RETRY_MAX_MS)
  })
  await connect(0)
}

export async function stopLive(): Promise<void> {
  stopped = true
  clearTimeout(retryTimer)
  const c = connection
  connection = null
  liveState.value = 'disconnected'
  if (c) await c.stop().catch(() => undefined)
}

/** Subscribes a component to a live event for as long as it is mounted. */
export function useLiveEvent<K extends LiveEventName>(name: K, handler: (payload: LiveEvents[K]) => void): void {
  onMounted(() => handlers[name].add(handler))
  onBeforeUnmount(() => handlers[name].delete(handler))
}
