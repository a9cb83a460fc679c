import { isApiError } from './http'

// Pages whose backend another module builds answer 404 until it lands: that is an explained state, not an error.

export type Availability<T> = { available: true; data: T } | { available: false }

/**
 * True when the hub has no such route (yet): its catch-all answers 404 "The API path was not found." (or a bare
 * 404/405 from a proxy). A 404 about a row ("The booking was not found.") is a real error and stays one.
 */
export function isMissingRoute(error: unknown): boolean {
  if (!isApiError(error) || (error.status !== 404 && error.status !== 405)) return false
  const detail = error.problem?.detail ?? ''
  return detail === '' || /API path/i.test(detail)
}

/** Runs a call; a missing route becomes `{ available: false }`, anything else is thrown. */
export async function whenAvailable<T>(call: () => Promise<T>): Promise<Availability<T>> {
  try {
    return { available: true, data: await call() }
  } catch (e) {
    if (isMissingRoute(e)) return { available: false }
    throw e
  }
}
