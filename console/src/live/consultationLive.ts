import { CONSOLE_HUB_PATH } from './console'

/**
 * The kiosk's and the expert app's own live channel on /hubs/console (each with its own credential: the kiosk token
 * or the expert's login). Pushes carry every change the moment it happens; while the channel is down the app falls
 * back to a slow poll of the same REST state, and after every (re)connect it reads that state once, because pushes
 * sent while it was away are lost.
 *
 * The state machine is pure (`nextLiveState`, `pollDelay`) so its rules are unit-tested without a hub.
 */
export type LiveChannelState = 'connecting' | 'live' | 'fallback' | 'stopped'
export type LiveChannelEvent = 'connected' | 'reconnecting' | 'reconnected' | 'closed' | 'startFailed' | 'stopped'

/** Poll interval while no pushes arrive (connecting or cut off). Live, the app does not poll at all. */
export const FALLBACK_POLL_MS = 5_000

// Reconnect backs off 0, 2, 5, 10 s, then every 15 s for ever: a kiosk has nobody to press reload.
const RETRY_DELAYS_MS = [0, 2_000, 5_000, 10_000]
const RETRY_MAX_MS = 15_000
export const liveRetryDelay = (attempt: number): number => RETRY_DELAYS_MS[attempt] ?? RETRY_MAX_MS

export function nextLiveState(state: LiveChannelState, event: LiveChannelEvent): LiveChannelState {
  if (state === 'stopped' || event === 'stopped') return 'stopped'
  switch (event) {
    case 'connected':
    case 'reconnected':
      return 'live'
    case 'reconnecting':
    case 'closed':
    case 'startFailed':
      return 'fallback'
  }
}

/** Milliseconds until the next poll in a state, or null when the app must not poll. */
export function pollDelay(state: LiveChannelState): number | null {
  return state === 'connecting' || state === 'fallback' ? FALLBACK_POLL_MS : null
}

/** A transition into `live` must re-read the state: whatever was pushed while away is lost. */
export function needsResync(before: LiveChannelState, after: LiveChannelState): boolean {
  return after === 'live' && before !== 'live'
}

/** The part of a SignalR HubConnection the channel uses (tests pass a stand-in). */
export interface LiveConnection {
  on(name: string, handler: (payload: never) => void): void
  onreconnecting(callback: () => void): void
  onreconnected(callback: () => void): void
  onclose(callback: () => void): void
  start(): Promise<void>
  stop(): Promise<void>
}

export interface LiveChannelOptions {
  /** Builds a connection (not started). */
  connect: () => Promise<LiveConnection>
  /** Push handlers by hub method name. */
  handlers: Record<string, (payload: never) => void>
  /** Reads the state over REST: after each (re)connect, and on every fallback poll. */
  resync: () => Promise<void> | void
  onState?: (state: LiveChannelState) => void
}

export interface LiveChannel {
  readonly state: LiveChannelState
  stop(): Promise<void>
}

export function openLiveChannel(options: LiveChannelOptions): LiveChannel {
  let state: LiveChannelState = 'connecting'
  let connection: LiveConnection | null = null
  let pollTimer: ReturnType<typeof setTimeout> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  // Read through a function: stop() may run while start() awaits, which the compiler's narrowing cannot see.
  const stopped = () => state === 'stopped'

  const resync = async () => {
    try {
      await options.resync()
    } catch {
      // A failed read is retried by the next poll or reconnect.
    }
  }

  const schedulePoll = () => {
    clearTimeout(pollTimer)
    const delay = pollDelay(state)
    if (delay === null) return
    pollTimer = setTimeout(() => {
      void resync().then(() => {
        if (pollDelay(state) !== null) schedulePoll()
      })
    }, delay)
  }

  const move = (event: LiveChannelEvent) => {
    const before = state
    state = nextLiveState(state, event)
    if (state === before) return
    options.onState?.(state)
    schedulePoll()
    if (needsResync(before, state)) void resync()
  }

  const start = async () => {
    if (state === 'stopped') return
    try {
      if (!connection) {
        const built = await options.connect()
        if (stopped()) return
        for (const [name, handler] of Object.entries(options.handlers)) built.on(name, handler)
        built.onreconnecting(() => move('reconnecting'))
        built.onreconnected(() => move('reconnected'))
        built.onclose(() => {
          // Automatic reconnect gave up, or the hub closed us: start again after a pause unless stopping.
          move('closed')
          retry()
        })
        connection = built
      }
      await connection.start()
      attempt = 0
      if (stopped()) {
        await connection.stop().catch(() => undefined)
        return
      }
      move('connected')
    } catch {
      move('startFailed')
      retry()
    }
  }

  const retry = () => {
    if (state === 'stopped') return
    clearTimeout(retryTimer)
    attempt += 1
    retryTimer = setTimeout(() => void start(), Math.max(1_000, liveRetryDelay(attempt)))
  }

  options.onState?.(state)
  schedulePoll()
  void start()

  return {
    get state() {
      return state
    },
    async stop() {
      move('stopped')
      clearTimeout(pollTimer)
      clearTimeout(retryTimer)
      const c = connection
      connection = null
      if (c) await c.stop().catch(() => undefined)
    },
  }
}

/** A SignalR connection to /hubs/console with the given bearer (SignalR is loaded on demand). */
export function signalrConnection(token: () => string | null | undefined): () => Promise<LiveConnection> {
  return async () => {
    const signalr = await import('@microsoft/signalr')
    return new signalr.HubConnectionBuilder()
      .withUrl(CONSOLE_HUB_PATH, { accessTokenFactory: () => token() ?? '' })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => liveRetryDelay(ctx.previousRetryCount) })
      .configureLogging(signalr.LogLevel.Error)
      .build()
  }
}
