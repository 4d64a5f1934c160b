/**
 * Runs the end-to-end suite (vitest.e2e.config.ts) in a child process. Without Chromium it says so
 * plainly and counts the e2e tests as skipped, so machines without a browser still run the rest.
 */
import { type RunCounts, closingLine } from '#tests/setup/closing-line-reporter.ts'
import { countTests, runVitest } from '#tests/setup/run-vitest.ts'
import { COLLECT_ONLY_ENV, chromiumInstalled, chromiumPath } from './environment.ts'

const E2E_CONFIG = ['--config', 'vitest.e2e.config.ts']

export interface E2eRun extends RunCounts {
  /** False when a test failed or vitest crashed. */
  ok: boolean
}

export async function runE2e(extraArgs: string[] = []): Promise<E2eRun> {
  if (chromiumInstalled()) {
    const run = await runVitest([...E2E_CONFIG, ...extraArgs])
    return { passed: run.passed, failed: run.failed, skipped: run.skipped, ok: run.exitCode === 0 }
  }
  process.stdout.write(`Chromium is not installed (no ${chromiumPath()}; set CHROMIUM_PATH): e2e tests skipped\n`)
  const skipped = await countTests([...E2E_CONFIG, ...extraArgs], { ...process.env, [COLLECT_ONLY_ENV]: '1' })
  const counts = { passed: 0, failed: 0, skipped }
  process.stdout.write(`vitest: ${closingLine(counts)}\n`)
  return { ...counts, ok: true }
}
