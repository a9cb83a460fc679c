import { vi } from 'vitest'
import { createApiClient } from '@/api/http'

export interface Call {
  url: string
  method: string
  body: unknown
  headers: Record<string, string>
}

type Reply = Response | ((call: Call) => Response)

/** An ApiClient over a fake fetch that records every request and answers from `reply`. */
export function fakeApi(reply: Reply = () => new Response(null, { status: 204 })) {
  const calls: Call[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: (init?.headers as Record<string, string>) ?? {},
    }
    calls.push(call)
    const r = typeof reply === 'function' ? reply(call) : reply
    return r.clone()
  })
  const api = createApiClient({ fetch: fetch as unknown as typeof globalThis.fetch, getToken: () => 'tok' })
  return { api, calls, fetch }
}

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
export const problem = (status: number, body: object) => new Response(JSON.stringify({ status, ...body }), { status, headers: { 'content-type': 'application/problem+json' } })
