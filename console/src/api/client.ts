import { auth } from '@/auth/store'
import { createApiClient, type ApiError } from './http'
import { createDownloader } from './download'

type UnauthorizedHandler = (error: ApiError) => void
let unauthorizedHandler: UnauthorizedHandler | null = null

/** The router registers how to go back to the login page; kept here to avoid an import cycle. */
export function onSessionExpired(handler: UnauthorizedHandler): void {
  unauthorizedHandler = handler
}

/** The staff console's client: same origin, the signed-in user's token, 401 → login. */
export const api = createApiClient({
  getToken: () => auth.token(),
  onUnauthorized: (error) => {
    auth.clear()
    unauthorizedHandler?.(error)
  },
})

/** Files behind the token (.ics, CSV/XLSX exports), with the same 401 handling. */
export const downloads = createDownloader({
  getToken: () => auth.token(),
  onUnauthorized: (error) => {
    auth.clear()
    unauthorizedHandler?.(error)
  },
})
