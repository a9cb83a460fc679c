/**
 * Press-and-hold control (camera pan/tilt pad, zoom buttons). Pressing starts a movement; the
 * movement ends with exactly one stop, however the hold ends: pointer up, the pointer leaving the
 * button, a cancelled touch, the window losing focus or the page going away. A second pointer
 * pressing while one holds is ignored, so a two-finger touch cannot start two movements.
 */
export interface HoldPadHandlers<K extends string> {
  start: (key: K) => void
  stop: (key: K) => void
}

export interface HoldPad<K extends string> {
  /** `pointerId` identifies the finger/mouse; a release from another pointer is ignored. */
  press(key: K, pointerId?: number): boolean
  /** Ends the hold (only the pointer that pressed, unless `pointerId` is omitted). */
  release(pointerId?: number): boolean
  /** The key being held, or null. */
  readonly active: K | null
}

export function createHoldPad<K extends string>(handlers: HoldPadHandlers<K>): HoldPad<K> {
  let active: K | null = null
  let owner: number | undefined
  return {
    press(key, pointerId) {
      if (active !== null) return false
      active = key
      owner = pointerId
      handlers.start(key)
      return true
    },
    release(pointerId) {
      if (active === null) return false
      if (pointerId !== undefined && owner !== undefined && pointerId !== owner) return false
      const key = active
      active = null
      owner = undefined
      handlers.stop(key)
      return true
    },
    get active() {
      return active
    },
  }
}
