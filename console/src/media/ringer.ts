/**
 * The expert desk's ring: a 450 Hz tone, 1 s on and 2 s off (the cadence of a Chinese ringback, so it reads as "a call
 * is waiting"), made with WebAudio — no sound file to ship or fail to load. Starting twice is harmless.
 */
export interface Ringer {
  readonly ringing: boolean
  start(): void
  stop(): void
}

const TONE_HZ = 450
const ON_S = 1
const PERIOD_MS = 3_000

export function createRinger(makeContext: () => AudioContext | null = defaultContext): Ringer {
  let context: AudioContext | null = null
  let timer: ReturnType<typeof setInterval> | undefined
  let ringing = false

  const beep = () => {
    if (!context) return
    const t = context.currentTime
    const osc = context.createOscillator()
    const gain = context.createGain()
    osc.frequency.value = TONE_HZ
    // Short ramps: a tone switched on and off hard clicks.
    gain.gain.setValueAtTime(0, t)
    gain.gain.linearRampToValueAtTime(0.25, t + 0.02)
    gain.gain.setValueAtTime(0.25, t + ON_S - 0.02)
    gain.gain.linearRampToValueAtTime(0, t + ON_S)
    osc.connect(gain).connect(context.destination)
    osc.start(t)
    osc.stop(t + ON_S)
  }

  return {
    get ringing() {
      return ringing
    },
    start() {
      if (ringing) return
      ringing = true
      context ??= makeContext()
      void context?.resume().catch(() => undefined)
      beep()
      timer = setInterval(beep, PERIOD_MS)
    },
    stop() {
      ringing = false
      clearInterval(timer)
      timer = undefined
      void context?.suspend().catch(() => undefined)
    },
  }
}

function defaultContext(): AudioContext | null {
  try {
    return typeof AudioContext === 'undefined' ? null : new AudioContext()
  } catch {
    return null
  }
}
