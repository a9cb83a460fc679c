import { describe, expect, it, vi } from 'vitest'
import { ApiError, buildUrl, createApiClient, flattenProblemErrors, readProblem } from '@/api/http'

type FetchArgs = [input: string, init: RequestInit]

function fakeFetch(response: Response | (() => Promise<Response>)) {
  const calls: FetchArgs[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push([String(input), init ?? {}])
    return typeof response === 'function' ? response() : response.clone()
  })
  return { fetch: fn as unknown as typeof fetch, calls }
}

const problemJson = (status: number, body: object) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json; charset=utf-8' } })

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError)
    return e as ApiError
  }
  throw new Error('expected the call to fail')
}

describe('createApiClient', () => {
  it('sends the bearer token and JSON body, and parses a JSON answer', async () => {
    const { fetch, calls } = fakeFetch(new Response(JSON.stringify({ token: 'abc' }), { status: 200, headers: { 'content-type': 'application/json' } }))
    const api = createApiClient({ fetch, getToken: () => 'tok-1' })
    const res = await api.post<{ token: string }>('/api/users', { username: 'a' })
    expect(res).toEqual({ token: 'abc' })
    const [url, init] = calls[0]!
    expect(url).toBe('/api/users')
    expect(init.method).toBe('POST')
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1')
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
    expect(init.body).toBe('{"username":"a"}')
  })

  it('does not send the token on anonymous requests (login)', async () => {
    const { fetch, calls } = fakeFetch(new Response('{}', { status: 200 }))
    const api = createApiClient({ fetch, getToken: () => 'tok-1' })
    await api.post('/api/auth/login', { username: 'u', password: 'p' }, { anonymous: true })
    expect((calls[0]![1].headers as Record<string, string>).Authorization).toBeUndefined()
  })

  it('turns a ProblemDetails answer into an ApiError carrying title, detail and status', async () => {
    const { fetch } = fakeFetch(problemJson(409, { title: '用户名已存在', status: 409, detail: 'username "zhang" is taken' }))
    const err = await rejection(createApiClient({ fetch }).post('/api/users', {}))
    expect(err.kind).toBe('http')
    expect(err.status).toBe(409)
    expect(err.problem?.title).toBe('用户名已存在')
    expect(err.problem?.detail).toBe('username "zhang" is taken')
    expect(err.message).toBe('username "zhang" is taken')
  })

  it('exposes validation errors from ProblemDetails.errors as field/message pairs', async () => {
    const { fetch } = fakeFetch(
      problemJson(400, {
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { Username: ['必填', '太短'], Password: ['至少 8 位'] },
      }),
    )
    const err = await rejection(createApiClient({ fetch }).post('/api/users', {}))
    expect(err.fieldErrors).toEqual([
      { field: 'Username', message: '必填' },
      { field: 'Username', message: '太短' },
      { field: 'Password', message: '至少 8 位' },
    ])
  })

  it('uses the HTTP status when the problem body has none', async () => {
    const { fetch } = fakeFetch(problemJson(404, { title: 'Not Found' }))
    const err = await rejection(createApiClient({ fetch }).get('/api/sites/x'))
    expect(err.status).toBe(404)
    expect(err.problem?.status).toBe(404)
  })

  it('does not show an HTML error page as detail', async () => {
    const { fetch } = fakeFetch(new Response('<!DOCTYPE html><html><body>502 Bad Gateway</body></html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }))
    const err = await rejection(createApiClient({ fetch }).get('/api/sites'))
    expect(err.status).toBe(502)
    expect(err.problem?.detail).toBeUndefined()
    expect(err.problem?.title).toBe('Bad Gateway')
  })

  it('keeps a short plain-text error body as detail', async () => {
    const { fetch } = fakeFetch(new Response('database is locked', { status: 503, headers: { 'content-type': 'text/plain' } }))
    const err = await rejection(createApiClient({ fetch }).get('/api/sites'))
    expect(err.problem?.detail).toBe('database is locked')
  })

  it('survives a malformed JSON error body', async () => {
    const { fetch } = fakeFetch(new Response('{"title": ', { status: 500, headers: { 'content-type': 'application/problem+json' } }))
    const err = await rejection(createApiClient({ fetch }).get('/api/sites'))
    expect(err.status).toBe(500)
    expect(err.problem?.detail).toBe('{"title":')
  })

  it('calls onUnauthorized on 401 for an authenticated request', async () => {
    const { fetch } = fakeFetch(problemJson(401, { title: 'Unauthorized', status: 401 }))
    const onUnauthorized = vi.fn()
    const err = await rejection(createApiClient({ fetch, getToken: () => 't', onUnauthorized }).get('/api/users/me'))
    expect(err.status).toBe(401)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(onUnauthorized.mock.calls[0]![0]).toBe(err)
  })

  it('does not treat a 401 at login (wrong password) as an expired session', async () => {
    const { fetch } = fakeFetch(problemJson(401, { title: 'Unauthorized', status: 401 }))
    const onUnauthorized = vi.fn()
    await rejection(createApiClient({ fetch, onUnauthorized }).post('/api/auth/login', {}, { anonymous: true }))
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('reports a network failure as kind "network" with status 0', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch')
    }) as unknown as typeof globalThis.fetch
    const err = await rejection(createApiClient({ fetch }).get('/api/sites'))
    expect(err.kind).toBe('network')
    expect(err.status).toBe(0)
  })

  it('aborts a request that takes longer than the timeout', async () => {
    const fetch = vi.fn(
      (_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        }),
    ) as unknown as typeof globalThis.fetch
    const err = await rejection(createApiClient({ fetch, timeoutMs: 20 }).get('/api/sites'))
    expect(err.kind).toBe('timeout')
  })

  it('returns undefined for 204 No Content', async () => {
    const { fetch } = fakeFetch(new Response(null, { status: 204 }))
    await expect(createApiClient({ fetch }).del('/api/users/1')).resolves.toBeUndefined()
  })

  it('fails with kind "parse" when a 200 answer is not JSON', async () => {
    const { fetch } = fakeFetch(new Response('<html>index</html>', { status: 200, headers: { 'content-type': 'text/html' } }))
    const err = await rejection(createApiClient({ fetch }).get('/api/sites'))
    expect(err.kind).toBe('parse')
  })
})

describe('buildUrl', () => {
  it('drops empty, null and undefined query values', () => {
    expect(buildUrl('', '/api/sites', { orgUnitId: 'ou-1', kind: '', x: undefined, y: null })).toBe('/api/sites?orgUnitId=ou-1')
  })
  it('encodes values and joins base and path with one slash', () => {
    expect(buildUrl('http://hub:5080/', 'api/people', { q: '张 三&' })).toBe('http://hub:5080/api/people?q=%E5%BC%A0+%E4%B8%89%26')
  })
})

describe('readProblem / flattenProblemErrors', () => {
  it('accepts application/json as well as problem+json', async () => {
    const p = await readProblem(new Response('{"title":"t","detail":"d"}', { status: 400, headers: { 'content-type': 'application/json' } }))
    expect(p).toMatchObject({ title: 't', detail: 'd', status: 400 })
  })
  it('accepts a single string instead of an array per field and skips blanks', () => {
    expect(flattenProblemErrors({ errors: { role: 'invalid', name: ['', ' '] } })).toEqual([{ field: 'role', message: 'invalid' }])
  })
  it('returns nothing without errors', () => {
    expect(flattenProblemErrors(undefined)).toEqual([])
    expect(flattenProblemErrors({ title: 'x' })).toEqual([])
  })
})
