/**
 * Running the production server for the load test and the two-servers test: build once (under
 * the shared build lock), serve a private copy, wait for it to answer, sign in through the form.
 */
import { type ChildProcess, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { makeRunDir } from '#tests/setup/run-dirs.ts'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export async function waitForServer(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try {
      await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) })
      return
    } catch {
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  throw new Error(`server at ${url} did not answer within ${timeoutMs / 1000} s`)
}

/**
 * Builds the app (under the shared build lock when the machine has one, as the e2e runs do) and
 * copies build/ into a private run directory under tests/.tmp, with content/ linked: another
 * build in the same checkout cannot swap the assets under the running server(s). Returns the
 * directory to run server/start.js from.
 */
export function prepareBuild(reuse: boolean, kind = 'loadtest'): string {
  if (!(reuse && fs.existsSync('build/server/index.js'))) {
    console.log(`${kind}: npm run build`)
    const lock = '/tmp/tiaojie-e2e.lock'
    const [command, args] = fs.existsSync('/usr/bin/flock') ? ['flock', [lock, 'npm', 'run', 'build']] : ['npm', ['run', 'build']]
    const built = spawnSync(command as string, args as string[], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
    if (built.status !== 0) throw new Error('npm run build failed')
  }
  const runDir = makeRunDir(kind)
  fs.cpSync('build', path.join(runDir, 'build'), { recursive: true })
  if (fs.existsSync('content')) fs.symlinkSync(path.resolve('content'), path.join(runDir, 'content'), 'dir')
  return runDir
}

/** Signs in through the real login form and returns the session cookie (`name=value`). */
export async function signIn(base: string, origin: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, redirectTo: '/' }),
  })
  const line = response.headers.getSetCookie().find((l) => /^(__Host-)?tiaojie_session=/.test(l))
  if (response.status !== 302 || !line) throw new Error(`sign-in of ${username} failed: ${response.status}`)
  return line.split(';')[0]!
}
