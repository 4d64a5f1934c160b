/**
 * The production app as a child process, for the fault tests that kill and restart it
 * (reliability-faults.e2e.ts on a private MariaDB, reliability-sqlite-crash.e2e.ts on a private
 * SQLite file): start and stop it, talk to it over HTTP with a signed-in cookie, register
 * mediators under load. The build itself comes from bench/lib/servers.ts (`prepareBuild`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { validIdNumber } from '#db/seed/factories.ts'
import { TEST_DATA_KEY, TEST_SESSION_SECRET } from '#tests/fixtures/test-env.ts'
import { waitForServer } from '../../bench/lib/servers.ts'

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Where the app listens and who it is talking to: set once the test has started and signed in. */
export interface AppTarget {
  /** `http://127.0.0.1:<port>`, also the app's origin. */
  base: string
  cookie: string
}

/**
 * `node server/start.js` in `runDir` (a prepared build) on `databaseUrl`, its output appended to
 * `runDir/app.log`; resolves once it answers.
 */
export function startApp({ runDir, databaseUrl, base }: { runDir: string; databaseUrl: string; base: string }): Promise<ChildProcess> {
  const log = fs.openSync(path.join(runDir, 'app.log'), 'a')
  const child = spawn(process.execPath, [path.resolve('server/start.js')], {
    cwd: runDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      TIAOJIE_DATA_KEY: TEST_DATA_KEY,
      SESSION_SECRET: TEST_SESSION_SECRET,
      HOST: '127.0.0.1',
      PORT: new URL(base).port,
      APP_ORIGIN: base,
    },
    stdio: ['ignore', log, log],
  })
  fs.closeSync(log)
  return waitForServer(base, child).then(() => child)
}

/** How the process ended (at once when it already has). */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
}

/** After the tests: SIGTERM (the app drains), SIGKILL when it has not exited within 12 s. */
export async function stopApp(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  await Promise.race([exitOf(child), sleep(12_000)])
  if (child.exitCode === null) child.kill('SIGKILL')
}

/** GET and form POST against the app as the signed-in user (no redirects followed). */
export function appClient(target: AppTarget) {
  return {
    async get(pathname: string, headers: Record<string, string> = {}) {
      const response = await fetch(`${target.base}${pathname}`, { headers: { cookie: target.cookie, ...headers }, redirect: 'manual' })
      return { status: response.status, headers: response.headers, body: await response.text() }
    },
    async post(pathname: string, form: Record<string, string>) {
      const response = await fetch(`${target.base}${pathname}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: target.cookie, origin: target.base, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      })
      return { status: response.status, location: response.headers.get('location'), body: await response.text() }
    },
  }
}

export type AppClient = ReturnType<typeof appClient>

/**
 * New mediators for the registration form, each unique (birth date from `birthYear` on, ID
 * number sequence digit, phone and work card vary), named `<prefix><n>` so a test finds its own.
 */
export function mediatorForms(options: {
  prefix: string
  birthYear: number
  idSequence: number
  phonePrefix: string
  cardPrefix: string
  orgId: () => string
}): () => Record<string, string> {
  let serial = 0
  return () => {
    const n = ++serial
    const birth = new Date(Date.UTC(options.birthYear, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
    return {
      name: `${options.prefix}${n}`,
      idNumber: validIdNumber('110108', birth, options.idSequence, n % 2 ? 'male' : 'female'),
      phone: `${options.phonePrefix}${String(10_000_000 + n).slice(-8)}`,
      orgId: options.orgId(),
      employment: 'full_time',
      cardNumber: `${options.cardPrefix}-${n}`,
    }
  }
}

export interface LoadResult {
  statuses: Record<number, number>
  networkErrors: number
  /** Person ids whose registration was answered with a redirect to the new record. */
  created: string[]
  unexpected: string[]
}

/**
 * Three workers alternating the mediator list and a registration until stopped. A status not in
 * `allowed` is recorded as unexpected; a connection error (the app or its database died) is
 * counted and retried after 50 ms. `pauseMs` between requests.
 */
export function startLoad(
  client: AppClient,
  nextForm: () => Record<string, string>,
  { allowed, pauseMs }: { allowed: number[]; pauseMs: number },
) {
  const result: LoadResult = { statuses: {}, networkErrors: 0, created: [], unexpected: [] }
  let running = true
  const worker = async () => {
    for (let i = 0; running; i++) {
      try {
        if (i % 2) {
          const page = await client.get('/people')
          result.statuses[page.status] = (result.statuses[page.status] ?? 0) + 1
          if (!allowed.includes(page.status)) result.unexpected.push(`GET ${page.status} ${page.body.slice(0, 200)}`)
        } else {
          const made = await client.post('/people/new', nextForm())
          result.statuses[made.status] = (result.statuses[made.status] ?? 0) + 1
          if (made.status === 302 && made.location?.startsWith('/people/')) result.created.push(made.location.split('/').pop()!)
          else if (!allowed.includes(made.status)) result.unexpected.push(`POST ${made.status} ${made.body.slice(0, 200)}`)
        }
      } catch {
        result.networkErrors++
        await sleep(50)
      }
      if (pauseMs) await sleep(pauseMs)
    }
  }
  const workers = [worker(), worker(), worker()]
  return {
    result,
    /** Resolves once `count` registrations have succeeded (the load is really running). */
    created: async (count: number, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs
      while (result.created.length < count && Date.now() < deadline) await sleep(25)
      expect(result.created.length, `only ${result.created.length} registrations went through`).toBeGreaterThanOrEqual(count)
    },
    stop: async () => {
      running = false
      await Promise.all(workers)
      return result
    },
  }
}
