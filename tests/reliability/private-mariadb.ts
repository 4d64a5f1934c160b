/**
 * A private MariaDB server for fault tests: its own data directory, port and socket, so a test can
 * kill and restart it without touching the shared server other tests use. `mariadb-install-db`
 * makes the system tables (about 2 s); `mariadbd` runs in the foreground as a child.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { createDatabase } from '#db/connect.ts'

const SERVER_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd', '/usr/local/bin/mariadbd']
const INSTALL_CANDIDATES = ['/usr/bin/mariadb-install-db', '/usr/local/bin/mariadb-install-db']

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((file) => fs.existsSync(file))
}

/** Why a private server cannot run here, or null when it can. */
export function privateMariadbMissing(): string | null {
  if (!firstExisting(SERVER_CANDIDATES))
    return `no mariadbd binary (looked in ${SERVER_CANDIDATES.join(', ')}; apt-get install mariadb-server)`
  if (!firstExisting(INSTALL_CANDIDATES)) return 'no mariadb-install-db (apt-get install mariadb-server)'
  return null
}

export class PrivateMariadb {
  private child: ChildProcess | undefined
  readonly dataDir: string
  readonly socket: string
  readonly log: string

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.dataDir = path.join(dir, 'mysql')
    this.socket = path.join(dir, 'mysqld.sock')
    this.log = path.join(dir, 'mariadbd.log')
  }

  /** The URL of a database on this server. */
  url(database = ''): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`
  }

  /** Creates the data directory (system tables, root without a password over TCP). */
  install(): void {
    // --no-defaults: the machine's /etc/mysql configuration (user, paths) is not ours.
    const result = spawnSync(
      firstExisting(INSTALL_CANDIDATES)!,
      ['--no-defaults', `--datadir=${this.dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...this.userArgs()],
      { encoding: 'utf8' },
    )
    if (result.status !== 0) throw new Error(`mariadb-install-db failed:\n${result.stdout}${result.stderr}`)
  }

  private userArgs(): string[] {
    // mariadbd refuses to run as root unless told to; as another user it runs as that user.
    return process.getuid?.() === 0 ? ['--user=root'] : []
  }

  /** Starts the server and waits until it accepts connections. */
  async start(timeoutMs = 30_000): Promise<void> {
    const out = fs.openSync(this.log, 'a')
    this.child = spawn(
      firstExisting(SERVER_CANDIDATES)!,
      [
        '--no-defaults',
        `--datadir=${this.dataDir}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${this.socket}`,
        `--pid-file=${path.join(this.dir, 'mysqld.pid')}`,
        `--tmpdir=${this.dir}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=16M',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_bin',
        ...this.userArgs(),
      ],
      { stdio: ['ignore', out, out] },
    )
    fs.closeSync(out)
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) break
      if (await this.answers()) return
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`private mariadbd did not start; its log:\n${fs.readFileSync(this.log, 'utf8').slice(-3000)}`)
  }

  /** True when a connection and `select 1` succeed. */
  async answers(): Promise<boolean> {
    const probe = createDatabase(this.url(), { poolSize: 1 })
    try {
      await sql`select 1`.execute(probe)
      return true
    } catch {
      return false
    } finally {
      await probe.destroy().catch(() => undefined)
    }
  }

  /** Stops the server: SIGKILL (a crash: InnoDB recovers on the next start) or SIGTERM (a clean stop). */
  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill(signal)
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000)
    await exited
    clearTimeout(force)
  }
}
