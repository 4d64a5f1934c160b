/**
 * Once per e2e run: build the app, make a fresh migrated and seeded SQLite database, start the
 * real server (server/start.js) on a free port, and hand its address to the tests. One server
 * serves the whole run; it stops at teardown. Everything of the run lives in tests/.tmp/e2e-*.
 *
 * E2E_SKIP_BUILD=1 reuses an existing build/ (handy while writing tests).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { TEST_DATA_KEY, TEST_SESSION_SECRET, TEST_TMP_DIR } from '#tests/fixtures/test-env.ts'
import { makeRunDir } from '#tests/setup/run-dirs.ts'
import { COLLECT_ONLY_ENV } from './environment.ts'

/** E2E_SEED_SCRIPT runs another seed (for trying the harness before the real seed exists). */
const SEED_SCRIPT = process.env.E2E_SEED_SCRIPT || 'db/seed/run.ts'
const SERVER_BUILD = 'build/server/index.js'
const START_TIMEOUT_MS = 30_000

function step(message: string): void {
  process.stdout.write(`e2e: ${message}\n`)
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`
}

/** Runs a command quietly; on failure shows its output and stops the run. */
function run(what: string, command: string, args: string[], env: NodeJS.ProcessEnv): void {
  const started = Date.now()
  const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) {
    process.stdout.write(`${result.stdout ?? ''}${result.stderr ?? ''}`)
    throw new Error(`e2e set-up: ${what} failed (${result.error?.message ?? `exit code ${result.status}`})`)
  }
  step(`${what}: done in ${seconds(started)}`)
}

function build(): void {
  if (process.env.E2E_SKIP_BUILD === '1') {
    if (!fs.existsSync(SERVER_BUILD)) throw new Error(`E2E_SKIP_BUILD=1 but ${SERVER_BUILD} does not exist: run npm run build`)
    step('E2E_SKIP_BUILD=1: using the existing build/')
    return
  }
  // The build must be a production build whatever NODE_ENV vitest runs under.
  run('npm run build', 'npm', ['run', 'build'], { ...process.env, NODE_ENV: 'production' })
}

async function freshDatabase(file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const db = createDatabase(`file:${file}`)
  try {
    await migrateToLatest(db)
  } finally {
    await db.destroy()
  }
  if (!fs.existsSync(SEED_SCRIPT)) {
    step(`${SEED_SCRIPT} does not exist yet: the e2e database is migrated but holds no demo data`)
    return
  }
  run('seed', path.resolve('node_modules/.bin/tsx'), [SEED_SCRIPT], env)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

async function waitUntilAnswering(url: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (exited(child)) break
    try {
      // Any HTTP answer will do: the server is up. Whether pages work is for the tests to say.
      await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  const output = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-4000) : ''
  throw new Error(
    `e2e set-up: the server ${exited(child) ? `exited (code ${child.exitCode ?? child.signalCode})` : `did not answer within ${START_TIMEOUT_MS / 1000} s`}. Its output (${log}):\n${output}`,
  )
}

/**
 * The server runs from the run directory, on a copy of build/: another build in the same checkout
 * (a colleague's, or a second e2e run) then cannot swap the assets under a running server. Its
 * files (uploads) land in the run directory too; content/ is linked, since the app reads it.
 */
function prepareServerDir(runDir: string): void {
  fs.cpSync('build', path.join(runDir, 'build'), { recursive: true })
  for (const shared of ['content']) {
    if (fs.existsSync(shared)) fs.symlinkSync(path.resolve(shared), path.join(runDir, shared), 'dir')
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (exited(child)) return
  const done = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await done
  clearTimeout(killer)
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env[COLLECT_ONLY_ENV] === '1') return undefined
  const started = Date.now()
  build()

  const runDir = makeRunDir('e2e')
  const databaseUrl = `file:${path.join(runDir, 'e2e.sqlite')}`
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TIAOJIE_DATA_KEY: TEST_DATA_KEY,
    SESSION_SECRET: TEST_SESSION_SECRET,
    NODE_ENV: 'test',
  }
  await freshDatabase(path.join(runDir, 'e2e.sqlite'), env)

  prepareServerDir(runDir)
  const log = path.join(runDir, 'server.log')
  const logFd = fs.openSync(log, 'a')
  const child = spawn(process.execPath, [path.resolve('server/start.js')], {
    cwd: runDir,
    env: { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), APP_ORIGIN: baseUrl },
    stdio: ['ignore', logFd, logFd],
  })
  fs.closeSync(logFd)
  try {
    await waitUntilAnswering(baseUrl, child, log)
  } catch (error) {
    await stop(child)
    throw error
  }
  step(`server at ${baseUrl} (log: ${path.relative(process.cwd(), log)}); ready after ${seconds(started)}`)

  project.provide('e2eBaseUrl', baseUrl)
  project.provide('e2eDatabaseUrl', databaseUrl)

  return async () => {
    await stop(child)
    // The last run's server output stays for diagnosis; its database goes unless asked to keep it.
    fs.copyFileSync(log, path.resolve(TEST_TMP_DIR, 'e2e-server.log'))
    if (process.env.E2E_KEEP_TMP !== '1') fs.rmSync(runDir, { recursive: true, force: true })
  }
}
