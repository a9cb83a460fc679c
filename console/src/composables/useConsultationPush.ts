import { onBeforeUnmount, onMounted, ref } from 'vue'
import type { HubConnection } from '@microsoft/signalr'
import { auth } from '@/auth/store'

/** Payload of the hub's `consultationChanged` push to staff (hub/VideoLink.Hub/Consultations/CategoryQueue.cs). */
export interface ConsultationChanged {
  id: string
  siteId: string
  status: string
  outcome?: string | null
}

const HUB_PATH = '/hubs/console'

/**
 * Calls `onChange` whenever the hub pushes `consultationChanged` (a request queued, answered or closed anywhere in
 * the user's subtree) while the component is mounted. The page holds its own connection to the console hub so the
 * shared live channel (src/live/console.ts) stays as it is; SignalR reconnects by itself and `connected` says
 * whether pushes are arriving, so the page can tell staff when it is only polling.
 */
export function useConsultationPush(onChange: (e: ConsultationChanged) => void) {
  const connected = ref(false)
  let connection: HubConnection | null = null
  let stopped = false

  onMounted(async () => {
    if (!auth.token()) return
    const signalr = await import('@microsoft/signalr')
    if (stopped) return
    const c = new signalr.HubConnectionBuilder()
      .withUrl(HUB_PATH, { accessTokenFactory: () => auth.token() ?? '' })
      .withAutomaticReconnect([0, 2_000, 5_000, 10_000, 30_000])
      .configureLogging(signalr.LogLevel.None)
      .build()
    c.on('consultationChanged', (e: ConsultationChanged) => onChange(e))
    c.onreconnecting(() => (connected.value = false))
    c.onreconnected(() => {
      connected.value = true
      // Pushes sent while we were away are lost: catch up once.
      onChange({ id: '', siteId: '', status: 'Reconnected' })
    })
    c.onclose(() => (connected.value = false))
    connection = c
    try {
      await c.start()
      connected.value = !stopped
    } catch {
      // The page keeps polling; the state badge says the live channel is down.
      connected.value = false
    }
  })

  onBeforeUnmount(() => {
    stopped = true
    const c = connection
    connection = null
    if (c) void c.stop().catch(() => undefined)
  })

  return { connected }
}
