import { ElMessage } from 'element-plus'
import { useI18n } from 'vue-i18n'
import { describeError } from '@/api/errors'
import { isApiError } from '@/api/http'

/** One way to tell the user how an action went: ElMessage with a readable ProblemDetails sentence. */
export function useFeedback() {
  const { t } = useI18n()
  return {
    showError(error: unknown): void {
      // A 401 has already sent the user to the login page, which says why.
      if (isApiError(error) && error.status === 401) return
      ElMessage({ type: 'error', message: describeError(error, t), showClose: true, duration: 6000, grouping: true })
    },
    showSuccess(message: string): void {
      ElMessage({ type: 'success', message, grouping: true })
    },
    describe: (error: unknown) => describeError(error, t),
  }
}
