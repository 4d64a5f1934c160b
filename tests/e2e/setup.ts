/**
 * Runs before every e2e test file. Before each test: no sign-in throttling left over from earlier
 * tests. After each test: its pages close and any problem they had (see browser.ts) fails it.
 * After the file: the browser and the database connection close.
 */
import { afterAll, afterEach, beforeEach } from 'vitest'
import { closeBrowser, closePages } from './browser.ts'
import { closeE2eDb, resetSignInThrottle } from './database.ts'

beforeEach(async () => {
  await resetSignInThrottle()
})

afterEach(async () => {
  const problems = await closePages()
  if (problems.length) {
    throw new Error(
      `The page had ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fix the cause, or call allowPageProblems(page, /pattern/) in a test that expects it.',
    )
  }
})

afterAll(async () => {
  await closeBrowser()
  await closeE2eDb()
})
