/**
 * `console.error` during a test fails it. The call is recorded (and still printed) and the test
 * fails in its afterEach hook, so code that swallows exceptions cannot hide the failure. Calls
 * outside any test (module top level, beforeAll, afterAll) fail the file.
 *
 * A test that expects an error to be logged says so with `allowConsoleError(/pattern/)`.
 */
import { format } from 'node:util'
import { afterAll, afterEach, beforeEach } from 'vitest'

interface ConsoleGuard {
  unexpected: string[]
  /** Calls made outside any test, reported when the file ends. */
  outside: string[]
  allowed: RegExp[]
  installed: boolean
}

// Kept on globalThis so a second instance of this module (another import path) shares the state.
const KEY = Symbol.for('tiaojie.tests.consoleGuard')
const holder = globalThis as typeof globalThis & { [KEY]?: ConsoleGuard }
holder[KEY] ??= { unexpected: [], outside: [], allowed: [], installed: false }
const guard: ConsoleGuard = holder[KEY]

/** Lets the current test log errors matching `pattern` (any error when omitted). */
export function allowConsoleError(pattern: RegExp = /[\s\S]*/): void {
  guard.allowed.push(pattern)
}

function takeUnexpected(): string[] {
  return guard.unexpected.splice(0)
}

function failure(where: string, messages: string[]): Error {
  const shown = messages.map((m, i) => `  ${i + 1}. ${m.length > 2000 ? `${m.slice(0, 2000)}…` : m}`).join('\n')
  return new Error(
    `console.error was called ${messages.length} time(s) ${where}:\n${shown}\n` +
      'Fix the cause, or call allowConsoleError(/pattern/) in a test that expects it.',
  )
}

if (!guard.installed) {
  guard.installed = true
  const original = console.error.bind(console)
  console.error = (...args: unknown[]) => {
    const text = format(...args)
    if (!guard.allowed.some((pattern) => pattern.test(text))) guard.unexpected.push(text)
    original(...args)
  }
}

beforeEach(() => {
  guard.outside.push(...takeUnexpected())
})

afterEach(() => {
  guard.allowed = []
  const messages = takeUnexpected()
  if (messages.length) throw failure('during this test', messages)
})

afterAll(() => {
  guard.allowed = []
  const messages = [...guard.outside.splice(0), ...takeUnexpected()]
  if (messages.length) throw failure('outside any test (module load, beforeAll or afterAll)', messages)
})
