import { ApiError, readProblem } from './http'

// Files the hub serves behind the bearer token (.ics, CSV/XLSX exports) cannot be plain links: the browser would not
// send the token. They are fetched, then handed to the browser as a download.

export interface DownloadedFile {
  blob: Blob
  filename: string
}

/** `attachment; filename="a.csv"; filename*=UTF-8''%E8%80%83.csv` → the best name offered (RFC 6266). */
export function filenameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header)
  const name = plain?.[2] ?? plain?.[1]
  return name ? name.trim() : null
}

export interface DownloaderOptions {
  getToken?: () => string | null | undefined
  fetch?: typeof fetch
  onUnauthorized?: (error: ApiError) => void
}

export function createDownloader(options: DownloaderOptions = {}) {
  return {
    async fetchFile(path: string, fallbackName: string): Promise<DownloadedFile> {
      const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
      const headers: Record<string, string> = { Accept: '*/*' }
      const token = options.getToken?.()
      if (token) headers.Authorization = `Bearer ${token}`
      let response: Response
      try {
        response = await doFetch(path, { method: 'GET', headers, credentials: 'same-origin' })
      } catch (e) {
        throw new ApiError('network', 0, undefined, e instanceof Error ? e.message : String(e))
      }
      if (!response.ok) {
        const error = new ApiError('http', response.status, await readProblem(response))
        if (response.status === 401) options.onUnauthorized?.(error)
        throw error
      }
      const blob = await response.blob()
      return { blob, filename: filenameFromDisposition(response.headers.get('content-disposition')) ?? fallbackName }
    },
  }
}

/** Hands a fetched file to the browser's download manager. */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob)
  const a = document.createElement('a')
  a.href = url
  a.download = file.filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
