/**
 * Runs vitest in a child process with inherited output and reads back the counts the closing-line
 * reporter wrote. Used by tests/run-all.ts and tests/e2e/run.ts.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { TEST_TMP_DIR } from '#tests/fixtures/test-env.ts'
import type { RunCounts } from './closing-line-reporter.ts'
import { randomTag } from './test-database.ts'

export interface VitestRun extends RunCounts {
  /** The child's exit code (null when killed by a signal). */
  exitCode: number | null
  /** True when vitest failed without reporting a failed test (crash, config error, timeout). */
  crashed: boolean
}

const VITEST = path.resolve('node_modules/vitest/vitest.mjs')

function spawnVitest(args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, ...args], { stdio: 'inherit', env })
    child.once('error', reject)
    child.once('exit', (code) => resolve(code))
  })
}

export async function runVitest(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<VitestRun> {
  const resultsFile = path.resolve(TEST_TMP_DIR, `results-${process.pid}-${randomTag(6)}.json`)
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true })
  const exitCode = await spawnVitest(['run', ...args], { ...env, TIAOJIE_RESULTS_FILE: resultsFile })
  let counts: RunCounts | undefined
  if (fs.existsSync(resultsFile)) {
    counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as RunCounts
    fs.rmSync(resultsFile)
  }
  const reported = counts ?? { passed: 0, failed: 0, skipped: 0 }
  // A non-zero exit with no failed test to show for it counts as one failure, so the totals agree
  // with the exit status.
  const crashed = exitCode !== 0 && reported.failed === 0
  return { ...reported, failed: reported.failed + (crashed ? 1 : 0), exitCode, crashed }
}

/** Counts the tests of a config without running them (`vitest list`), for runs that must be skipped. */
export async function countTests(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const listFile = path.resolve(TEST_TMP_DIR, `list-${process.pid}-${randomTag(6)}.json`)
  fs.mkdirSync(path.dirname(listFile), { recursive: true })
  const child = spawn(process.execPath, [VITEST, 'list', `--json=${listFile}`, ...args], { stdio: 'ignore', env })
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (exitCode !== 0 || !fs.existsSync(listFile)) throw new Error(`vitest list ${args.join(' ')} failed (exit code ${exitCode})`)
  const tests = JSON.parse(fs.readFileSync(listFile, 'utf8')) as unknown[]
  fs.rmSync(listFile)
  return tests.length
}
