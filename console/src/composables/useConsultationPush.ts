import { computed, watch } from 'vue'
import { liveState, useLiveEvent } from '@/live/console'
import type { ConsultationChanged } from '@/live/console'

export type { ConsultationChanged }

/**
 * Calls `onChange` whenever the hub pushes `consultationChanged` (a request queued, answered or closed anywhere in
 * the user's subtree) while the component is mounted. It listens on the console's one live channel
 * (src/live/console.ts, opened by the layout), so a staff console holds a single connection to the hub however many
 * boards it shows. `connected` says whether pushes are arriving, so the page can tell staff when it is only polling;
 * after a reconnect `onChange` gets one `Reconnected` call, because pushes sent while the channel was down are lost.
 */
export function useConsultationPush(onChange: (e: ConsultationChanged) => void) {
  useLiveEvent('consultationChanged', onChange)
  const connected = computed(() => liveState.value === 'connected')
  watch(liveState, (now, before) => {
    if (now === 'connected' && before === 'reconnecting') onChange({ id: '', siteId: '', status: 'Reconnected' })
  })
  return { connected }
}
