/**
 * Runs planBatch in a worker thread with a time limit, so a large batch never blocks the server's
 * event loop (docs/decisions/014-batch-assignment.md, "Consequences").
 *
 * Threshold: batches of fewer than WORKER_MIN_CASES cases (the 20 demo cases, a district's
 * daily work) run inline: the flow solves them in milliseconds, less than what copying the pool
 * to a worker costs. From WORKER_MIN_CASES cases up (500 × 5,000: ~0.1 s of flow, 5,000 × 20,000:
 * ~3 s) the plan is computed in a worker.
 *
 * Like the HiGHS worker (highs-worker.server.ts) the worker is an eval worker, so the same code
 * runs under tsx, vitest and the built server. Its source is the matching core itself, bundled
 * once per process by esbuild (a runtime dependency) from this directory's TypeScript: the worker
 * runs exactly the code the inline path runs, so its plans are identical (tested). Crossing rules
 * still go to HiGHS, from inside the worker, through its own warm HiGHS worker.
 *
 * One worker per batch: it is terminated when the plan arrives, when it fails, or at the time
 * limit, which then rejects with BatchTimeLimit (the caller reports it; nothing was written).
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { buildSync } from 'esbuild'
import { type BatchInput, type BatchPlan, planBatch } from './batch.ts'
import { solveModelInWorker } from './highs-worker.server.ts'

/** From this many cases up, planBatchOffThread plans in a worker thread. */
export const WORKER_MIN_CASES = 200
/** Default time limit of a plan in the worker (the MIP has its own, shorter, limit inside). */
export const DEFAULT_BATCH_TIME_LIMIT_MS = 60_000

export class BatchTimeLimit extends Error {
  constructor(readonly limitMs: number) {
    super(`batch plan did not finish within ${limitMs} ms; worker terminated`)
  }
}

const ENTRY = `
import { parentPort } from 'node:worker_threads'
import { planBatch } from './batch.ts'
import { solveModelInWorker, stopModelWorker } from './highs-worker.server.ts'
parentPort.once('message', async (input) => {
  try {
    const plan = await planBatch(input, { modelSolver: solveModelInWorker })
    parentPort.postMessage({ ok: true, plan })
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && error.stack) || error) })
  } finally {
    await stopModelWorker()
  }
})
`

let bundled: string | null = null

/** The worker's source: ENTRY with the matching core, bundled once (CommonJS, for an eval worker). */
function workerSource(): string {
  if (bundled) return bundled
  // Through the package's `#app/*` import map, so the built server finds the sources too.
  const dir = path.dirname(createRequire(import.meta.url).resolve('#app/modules/matching/batch.ts'))
  const result = buildSync({
    stdin: { contents: ENTRY, resolveDir: dir, loader: 'ts', sourcefile: 'batch-worker-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    // highs-worker.server.ts resolves the `highs` package from its own location.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(path.join(dir, 'highs-worker.server.ts')).href) },
  })
  bundled = result.outputFiles[0]!.text
  return bundled
}

/** The request that asked for the plan went away (the user cancelled or left): the worker is stopped. */
export class BatchCancelled extends Error {
  constructor() {
    super('batch plan cancelled; worker terminated')
  }
}

/**
 * planBatch in a worker thread, terminated (BatchTimeLimit) after `timeLimitMs`, or at once
 * (BatchCancelled) when `signal` aborts: the browser's Stop, leaving the page, or the cancel link
 * while the plan runs all close the request, and the server stops computing for nobody.
 */
export function planBatchInWorker(input: BatchInput, timeLimitMs = DEFAULT_BATCH_TIME_LIMIT_MS, signal?: AbortSignal): Promise<BatchPlan> {
  if (signal?.aborted) return Promise.reject(new BatchCancelled())
  return new Promise<BatchPlan>((resolve, reject) => {
    const worker = new Worker(workerSource(), { eval: true })
    let settled = false
    const onAbort = () => finish(() => reject(new BatchCancelled()))
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      fn()
      void worker.terminate()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const timer = setTimeout(() => finish(() => reject(new BatchTimeLimit(timeLimitMs))), timeLimitMs)
    worker.on('message', (msg: { ok: boolean; plan?: BatchPlan; error?: string }) =>
      finish(() => (msg.ok && msg.plan ? resolve(msg.plan) : reject(new Error(`batch worker: ${msg.error ?? 'no plan'}`)))),
    )
    worker.on('error', (error) => finish(() => reject(error)))
    worker.on('exit', (code) => finish(() => reject(new Error(`batch worker exited (${code}) without a plan`))))
    worker.postMessage(input)
  })
}

/**
 * The plan, inline below WORKER_MIN_CASES cases and in a worker thread from there up (see the
 * module comment); `minCasesForWorker` lets tests force either path.
 */
export function planBatchOffThread(
  input: BatchInput,
  options: { timeLimitMs?: number; minCasesForWorker?: number; signal?: AbortSignal } = {},
): Promise<BatchPlan> {
  if (options.signal?.aborted) return Promise.reject(new BatchCancelled())
  if (input.cases.length < (options.minCasesForWorker ?? WORKER_MIN_CASES)) {
    return planBatch(input, { modelSolver: solveModelInWorker })
  }
  return planBatchInWorker(input, options.timeLimitMs, options.signal)
}
