import { reactive } from 'vue'
import { isApiError } from '@/api/http'

/**
 * Server-side validation messages (ProblemDetails.errors) shown under their form fields. `fields` are the form's
 * field names; the hub's names are matched case-insensitively, with `$.` prefixes and `[i]` suffixes removed.
 */
export function useServerErrors(fields: string[]) {
  const serverErrors = reactive<Record<string, string>>({})
  function clearServerErrors(): void {
    for (const k of Object.keys(serverErrors)) delete serverErrors[k]
  }
  function takeServerErrors(error: unknown): void {
    if (!isApiError(error)) return
    for (const { field, message } of error.fieldErrors) {
      const name = field.replace(/^\$\./, '').replace(/\[\d+\]$/, '').toLowerCase()
      const key = fields.find((f) => f.toLowerCase() === name)
      if (key) serverErrors[key] = message
    }
  }
  return { serverErrors, clearServerErrors, takeServerErrors }
}
