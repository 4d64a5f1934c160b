// Several app processes on one machine (docs/decisions/031-load-test-findings.md).
//
// One Node process runs JavaScript on one core. WEB_CONCURRENCY=N (N > 1) makes server/start.js
// a small primary that forks N workers sharing the listening port (node:cluster hands out the
// connections); each worker is the ordinary stateless app server of docs/deploy.md, with its own
// database pool and background jobs (both safe with several app servers on one database).
// The primary restarts a worker that dies and, on SIGTERM or SIGINT, passes the signal on and
// exits once every worker has finished its graceful shutdown.
import cluster from 'node:cluster'

/**
 * How many app processes to run: WEB_CONCURRENCY, default 1 (no primary at all).
 * @param {Record<string, string | undefined>} [env]
 */
export function workerCount(env = process.env) {
  const n = Number(env.WEB_CONCURRENCY ?? 1)
  return Number.isInteger(n) && n > 1 ? Math.min(n, 64) : 1
}

/**
 * True in the process that should fork workers instead of serving.
 * @param {Record<string, string | undefined>} [env]
 * @param {string[]} [argv]
 */
export function shouldFork(env = process.env, argv = process.argv) {
  return cluster.isPrimary && workerCount(env) > 1 && !argv.includes('--dev')
}

/** A worker that dies this soon after starting is not restarted again (a broken build, a bad env). */
const CRASH_LOOP_MS = 5_000

/** Forks the workers and supervises them; never resolves (the primary exits on its own). */
export function runPrimary(count = workerCount()) {
  let stopping = false
  let worst = 0
  const startedAt = new Map()

  const fork = () => {
    const worker = cluster.fork()
    startedAt.set(worker.id, Date.now())
  }

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0)
    startedAt.delete(worker.id)
    if (stopping) {
      worst = Math.max(worst, code ?? 1)
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(worst)
      return
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}) after ${Math.round(lived / 1000)} s`)
    if (lived < CRASH_LOOP_MS) {
      console.error('workers die on start: stopping')
      stopping = true
      worst = 1
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(1)
      return
    }
    fork()
  })

  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal)
    })
  }

  console.log(`Tiaojie primary ${process.pid}: starting ${count} app processes (WEB_CONCURRENCY)`)
  for (let i = 0; i < count; i++) fork()
  return new Promise(() => {})
}
