import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'

/**
 * Loading / data / error for one async source, so every page shows a spinner, an explained empty
 * state, or a readable error — never a blank area. `run` ignores responses that arrive after a
 * newer call (quick filter changes).
 */
export function useAsync<T, A extends unknown[] = []>(
  loader: (...args: A) => Promise<T>,
  initial: T,
  onError?: (error: unknown) => void,
): { data: ShallowRef<T>; loading: Ref<boolean>; error: ShallowRef<unknown>; run: (...args: A) => Promise<void> } {
  const data = shallowRef(initial) as ShallowRef<T>
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  let generation = 0
  async function run(...args: A): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const result = await loader(...args)
      if (mine === generation) data.value = result
    } catch (e) {
      if (mine === generation) {
        error.value = e
        onError?.(e)
      }
    } finally {
      if (mine === generation) loading.value = false
    }
  }
  return { data, loading, error, run }
}
