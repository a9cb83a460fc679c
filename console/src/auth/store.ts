import { computed, reactive, readonly } from 'vue'
import type { CurrentUser } from '@/api/types'

/** The part of Web Storage the store needs; tests pass an in-memory one. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

export const AUTH_STORAGE_KEY = 'videolink.auth'

interface PersistedAuth {
  token: string
  user: CurrentUser | null
}

/** Reads `exp` (seconds since epoch) from a JWT without verifying it; null when absent or unreadable. */
export function jwtExpiry(token: string): number | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const b64 = parts[1]!.replace(/-/g, '+').replace(/_/g, '/')
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4)
    const json = typeof atob === 'function' ? atob(padded) : ''
    const payload = JSON.parse(json) as { exp?: unknown }
    return typeof payload.exp === 'number' ? payload.exp : null
  } catch {
    return null
  }
}

/** A token is usable until its `exp`; a token without `exp` (or not a JWT) is left to the server to judge. */
export function isTokenExpired(token: string, nowMs: number = Date.now()): boolean {
  const exp = jwtExpiry(token)
  return exp !== null && exp * 1000 <= nowMs
}

/**
 * Session state: the bearer token and the signed-in user, persisted so a reload keeps the
 * session. Kept framework-light (Vue reactivity, no store library) so it is testable in Node.
 */
export function createAuthStore(storage: KeyValueStorage | null, key: string = AUTH_STORAGE_KEY, now: () => number = Date.now) {
  const state = reactive<{ token: string | null; user: CurrentUser | null }>({ token: null, user: null })

  function load(): void {
    const raw = storage?.getItem(key)
    if (!raw) return
    try {
      const parsed = JSON.parse(raw) as Partial<PersistedAuth>
      if (typeof parsed.token === 'string' && parsed.token && !isTokenExpired(parsed.token, now())) {
        state.token = parsed.token
        state.user = parsed.user ?? null
      } else {
        storage?.removeItem(key)
      }
    } catch {
      storage?.removeItem(key)
    }
  }

  function persist(): void {
    if (!storage) return
    if (state.token) storage.setItem(key, JSON.stringify({ token: state.token, user: state.user } satisfies PersistedAuth))
    else storage.removeItem(key)
  }

  load()

  const isAuthenticated = computed(() => state.token !== null && !isTokenExpired(state.token, now()))

  return {
    state: readonly(state),
    isAuthenticated,
    /** Token for the Authorization header; null once expired so the guard sends the user to login. */
    token(): string | null {
      return state.token && !isTokenExpired(state.token, now()) ? state.token : null
    },
    setSession(token: string, user: CurrentUser | null = null): void {
      if (!token) throw new Error('empty token')
      state.token = token
      state.user = user
      persist()
    },
    setUser(user: CurrentUser): void {
      state.user = user
      persist()
    },
    clear(): void {
      state.token = null
      state.user = null
      persist()
    },
    hasRole(...roles: string[]): boolean {
      return state.user !== null && roles.includes(state.user.role)
    },
  }
}

export type AuthStore = ReturnType<typeof createAuthStore>

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The app's single session. */
export const auth = createAuthStore(browserStorage())
