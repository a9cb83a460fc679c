import { ref } from 'vue'
import { downloads } from '@/api/client'
import { saveFile } from '@/api/download'
import { useFeedback } from './useFeedback'

/** Downloads a file behind the token (.ics, CSV, XLSX) with a loading flag and a readable error. */
export function useDownload() {
  const { showError } = useFeedback()
  const busy = ref<string | null>(null)
  async function download(path: string, fallbackName: string): Promise<boolean> {
    busy.value = path
    try {
      saveFile(await downloads.fetchFile(path, fallbackName))
      return true
    } catch (e) {
      showError(e)
      return false
    } finally {
      busy.value = null
    }
  }
  return { busy, download }
}
