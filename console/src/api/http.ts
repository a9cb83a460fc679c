import type { ProblemDetails } from './types'

/** Why a request failed, in the words the UI needs to pick a message. */
export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'parse'

/**
 * A failed API call. `status` is the HTTP status (0 when no response arrived);
 * `problem` is the server's ProblemDetails when it sent one.
 */
export class ApiError extends Error {
  readonly status: number
  readonly kind: ApiErrorKind
  readonly problem: ProblemDetails | undefined

  constructor(kind: ApiErrorKind, status: number, problem?: ProblemDetails, message?: string) {
    super(message ?? problem?.detail ?? problem?.title ?? `HTTP ${status}`)
    this.name = 'ApiError'
    this.kind = kind
    this.status = status
    this.problem = problem
  }

  /** Validation errors flattened to `field: message` pairs, in the server's order. */
  get fieldErrors(): Array<{ field: string; message: string }> {
    return flattenProblemErrors(this.problem)
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

export function flattenProblemErrors(problem: ProblemDetails | undefined): Array<{ field: string; message: string }> {
  const errors = problem?.errors
  if (!errors || typeof errors !== 'object') return []
  const out: Array<{ field: string; message: string }> = []
  for (const [field, value] of Object.entries(errors)) {
    const messages = Array.isArray(value) ? value : [value]
    for (const message of messages) {
      if (typeof message === 'string' && message.trim() !== '') out.push({ field, message })
    }
  }
  return out
}

/**
 * Reads a non-2xx response into a ProblemDetails. ASP.NET sends `application/problem+json`;
 * proxies and the static-file fallback may send HTML or plain text, which becomes `detail`
 * only when it is short text (an HTML error page is not something to show a user).
 */
export async function readProblem(response: Response): Promise<ProblemDetails> {
  const contentType = response.headers.get('content-type') ?? ''
  let text = ''
  try {
    text = await response.text()
  } catch {
    text = ''
  }
  if (text && /json/i.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const problem = parsed as ProblemDetails
        return { ...problem, status: typeof problem.status === 'number' ? problem.status : response.status }
      }
    } catch {
      // fall through: treat as plain text
    }
  }
  const trimmed = text.trim()
  const looksLikeHtml = /^<(!doctype|html)/i.test(trimmed)
  const problem: ProblemDetails = { status: response.status, title: response.statusText || undefined }
  if (trimmed && !looksLikeHtml && trimmed.length <= 500) problem.detail = trimmed
  return problem
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

/** Builds `path?query`, leaving out empty values so `?kind=` never filters by an empty kind. */
export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const base = baseUrl.replace(/\/+$/, '')
  const rel = path.startsWith('/') ? path : `/${path}`
  const params = new URLSearchParams()
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue
      params.append(key, String(value))
    }
  }
  const qs = params.toString()
  return `${base}${rel}${qs ? `?${qs}` : ''}`
}

export interface ApiClientOptions {
  /** Prefix for every path; '' means same origin (the hub serves the console). */
  baseUrl?: string
  /** Current bearer token, read on every request. */
  getToken?: () => string | null | undefined
  /**
   * Called when the hub answers 401 to an authenticated request (token expired or revoked).
   * Not called for requests marked `anonymous` (a wrong password at login is also a 401).
   */
  onUnauthorized?: (error: ApiError) => void
  fetch?: typeof fetch
  timeoutMs?: number
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Do not send the token and do not treat 401 as "session ended". */
  anonymous?: boolean
  signal?: AbortSignal
  /** Sees the headers of a successful response (paging totals such as `X-Total-Count`). */
  onHeaders?: (headers: Headers) => void
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>
  get<T>(path: string, query?: Query, options?: Omit<RequestOptions, 'query'>): Promise<T>
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>): Promise<T>
  put<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>): Promise<T>
  del<T = void>(path: string, options?: RequestOptions): Promise<T>
}

export const DEFAULT_TIMEOUT_MS = 20_000

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? ''
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS

  async function request<T>(method: string, path: string, req: RequestOptions = {}): Promise<T> {
    const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' }
    const token = req.anonymous ? null : options.getToken?.()
    if (token) headers.Authorization = `Bearer ${token}`
    let body: string | undefined
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(req.body)
    }

    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const onAbort = () => controller.abort()
    req.signal?.addEventListener('abort', onAbort, { once: true })

    let response: Response
    try {
      response = await doFetch(buildUrl(baseUrl, path, req.query), {
        method,
        headers,
        body,
        signal: controller.signal,
        credentials: 'same-origin',
      })
    } catch (e) {
      if (timedOut) throw new ApiError('timeout', 0, undefined, 'timeout')
      if (req.signal?.aborted) throw e
      throw new ApiError('network', 0, undefined, e instanceof Error ? e.message : String(e))
    } finally {
      clearTimeout(timer)
      req.signal?.removeEventListener('abort', onAbort)
    }

    if (!response.ok) {
      const error = new ApiError('http', response.status, await readProblem(response))
      if (response.status === 401 && !req.anonymous) options.onUnauthorized?.(error)
      throw error
    }
    req.onHeaders?.(response.headers)
    if (response.status === 204) return undefined as T
    const text = await response.text()
    if (text === '') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError('parse', response.status, undefined, 'invalid JSON in response')
    }
  }

  return {
    request,
    get: (path, query, o) => request('GET', path, { ...o, query }),
    post: (path, body, o) => request('POST', path, { ...o, body }),
    put: (path, body, o) => request('PUT', path, { ...o, body }),
    del: (path, o) => request('DELETE', path, o),
  }
}
