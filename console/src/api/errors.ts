import { isApiError } from './http'

/** Translator shape shared by vue-i18n's `t` and the tests. */
export type Translate = (key: string, named?: Record<string, unknown>) => string

/** Generic, status-specific fallbacks when the server's problem has no detail worth showing. */
const STATUS_KEYS: Record<number, string> = {
  400: 'errors.status.s400',
  401: 'errors.status.s401',
  403: 'errors.status.s403',
  404: 'errors.status.s404',
  409: 'errors.status.s409',
  413: 'errors.status.s413',
  422: 'errors.status.s400',
  423: 'errors.status.s423',
  429: 'errors.status.s429',
  500: 'errors.status.s500',
  502: 'errors.status.s503',
  503: 'errors.status.s503',
  504: 'errors.status.s503',
}

/**
 * ASP.NET's default titles ("Not Found", "One or more validation errors occurred.") are English
 * boilerplate; a Chinese user is better served by our own status sentence in that case.
 */
const BOILERPLATE_TITLE = /^(one or more validation errors occurred\.?|bad request|unauthorized|forbidden|not found|conflict|internal server error|an error occurred while processing your request\.?|service unavailable|too many requests|payload too large|unprocessable entity|invalid request)$/i

/**
 * Turns any thrown value into one readable sentence for ElMessage: a localized headline for the
 * status, then the server's own detail and each field error, e.g.
 * "请求内容有误：用户名 已存在；password: 至少 8 位".
 */
export function describeError(error: unknown, t: Translate): string {
  if (!isApiError(error)) {
    if (error instanceof Error && error.message) return `${t('errors.unexpected')}：${error.message}`
    return t('errors.unexpected')
  }
  if (error.kind === 'network') return t('errors.network')
  if (error.kind === 'timeout') return t('errors.timeout')
  if (error.kind === 'parse') return t('errors.parse')

  const problem = error.problem
  const headlineKey = STATUS_KEYS[error.status] ?? (error.status >= 500 ? 'errors.status.s500' : 'errors.status.s400')
  const headline = t(headlineKey, { status: error.status })

  const parts: string[] = []
  const title = problem?.title?.trim()
  const detail = problem?.detail?.trim()
  if (title && !BOILERPLATE_TITLE.test(title)) parts.push(title)
  if (detail && detail !== title) parts.push(detail)
  for (const { field, message } of error.fieldErrors) {
    parts.push(field && field !== '$' && !message.includes(field) ? `${field}: ${message}` : message)
  }
  return parts.length > 0 ? `${headline}：${parts.join('；')}` : headline
}
