/**
 * `npm test`: every suite, one after another, each in its own vitest process with its output shown:
 *   1. unit and database tests on SQLite;
 *   2. the database tests again on MariaDB/MySQL, when TEST_MYSQL_URL is set;
 *   3. the end-to-end tests in Chromium, when Chromium is installed.
 * Ends with the summed line `N passed, N failed, N skipped` and fails if any run failed or crashed.
 */
import type { RunCounts } from '#tests/setup/closing-line-reporter.ts'
import { closingLine } from '#tests/setup/closing-line-reporter.ts'
import { runVitest } from '#tests/setup/run-vitest.ts'
import { runE2e } from './e2e/run-e2e.ts'

interface Outcome extends RunCounts {
  name: string
  ok: boolean
  seconds: number
}

const outcomes: Outcome[] = []

function heading(text: string): void {
  process.stdout.write(`\n=== ${text} ===\n\n`)
}

async function phase(name: string, run: () => Promise<RunCounts & { ok: boolean }>): Promise<void> {
  heading(name)
  const started = Date.now()
  const result = await run()
  outcomes.push({ ...result, name, seconds: (Date.now() - started) / 1000 })
}

// The SQLite pass must be SQLite whatever the developer's shell says.
const { TEST_DIALECT: _ignored, ...sqliteEnv } = process.env

await phase('unit and database tests (SQLite)', async () => {
  const run = await runVitest([], sqliteEnv)
  return { ...run, ok: run.exitCode === 0 }
})

if (process.env.TEST_MYSQL_URL) {
  await phase('database tests (MariaDB)', async () => {
    const run = await runVitest(['--project', 'db'], { ...process.env, TEST_DIALECT: 'mysql' })
    return { ...run, ok: run.exitCode === 0 }
  })
} else {
  heading('database tests (MariaDB)')
  process.stdout.write('MariaDB pass skipped: TEST_MYSQL_URL is not set\n')
}

await phase('end-to-end tests (Chromium)', () => runE2e())

const total = outcomes.reduce(
  (sum, o) => ({ passed: sum.passed + o.passed, failed: sum.failed + o.failed, skipped: sum.skipped + o.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
)
heading('summary')
for (const o of outcomes) {
  process.stdout.write(`${o.ok ? 'ok    ' : 'FAILED'} ${o.name}: ${closingLine(o)} (${o.seconds.toFixed(1)} s)\n`)
}
process.stdout.write(`${closingLine(total)}\n`)
process.exitCode = outcomes.every((o) => o.ok) && total.failed === 0 ? 0 : 1
