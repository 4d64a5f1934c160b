/**
 * Ends every vitest run with the line CI reads: `vitest: N passed, N failed, N skipped`.
 *
 * The line is written when the process exits, so it is the very last line even when vitest prints
 * errors after the run (a failing global set-up, say). A test file that failed to load, or whose
 * file-level hooks failed, or that never ran, counts as one failure; so does each unhandled error;
 * and a run that exits non-zero never reports "0 failed".
 * With TIAOJIE_RESULTS_FILE set, the counts are also written there as JSON (tests/run-all.ts sums them).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Reporter, TestModule, TestSpecification } from 'vitest/node'

export interface RunCounts {
  passed: number
  failed: number
  skipped: number
}

export function countResults(modules: ReadonlyArray<TestModule>, unhandledErrors: number): RunCounts {
  const counts: RunCounts = { passed: 0, failed: unhandledErrors, skipped: 0 }
  for (const module of modules) {
    if (module.errors().length > 0) counts.failed += 1
    for (const test of module.children.allTests()) {
      const state = test.result().state
      if (state === 'passed') counts.passed += 1
      else if (state === 'failed') counts.failed += 1
      // Skipped, todo, and tests an interrupted run never reached.
      else counts.skipped += 1
    }
  }
  return counts
}

export function closingLine(counts: RunCounts): string {
  return `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`
}

export default class ClosingLineReporter implements Reporter {
  private started = false
  private specifications = 0
  private counts: RunCounts | undefined

  onInit(): void {
    // First in line: vitest's own exit listener calls process.exit() again when it crashed, which
    // would end the process before a listener added after it ran.
    process.prependOnceListener('exit', (code) => this.finish(code))
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.started = true
    this.specifications = specifications.length
    this.counts = undefined
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const counts = countResults(modules, unhandledErrors.length)
    // Files that were scheduled but never produced a module (e.g. the global set-up failed).
    counts.failed += Math.max(0, this.specifications - modules.length)
    this.counts = counts
  }

  private finish(exitCode: number): void {
    // `vitest list` and other commands that run no tests print nothing.
    if (!this.started) return
    const counts = this.counts ?? { passed: 0, failed: Math.max(1, this.specifications), skipped: 0 }
    if (exitCode !== 0 && counts.failed === 0) counts.failed = 1
    const file = process.env.TIAOJIE_RESULTS_FILE
    if (file) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
      fs.writeFileSync(file, `${JSON.stringify(counts)}\n`)
    }
    process.stdout.write(`vitest: ${closingLine(counts)}\n`)
  }
}
