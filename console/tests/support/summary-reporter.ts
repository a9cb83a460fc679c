import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints one last line that ./test.sh can parse, after Vitest's own summary:
 *
 *   console tests: 57 passed, 0 failed, 0 skipped
 *
 * A test file that fails to load (syntax or import error) and an unhandled error each count as one
 * failure, so a broken file can never pass as "0 failed".
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of testModules) {
      let moduleFailedTests = 0
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') {
          failed++
          moduleFailedTests++
        } else skipped++
      }
      if (module.state() === 'failed' && moduleFailedTests === 0) failed++
    }
    failed += unhandledErrors.length
    process.stdout.write(`console tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`)
  }
}
