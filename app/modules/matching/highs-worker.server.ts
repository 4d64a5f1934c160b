/**
 * Runs HiGHS (WebAssembly, `highs` package) in a worker thread with a time limit, so a hard MIP
 * never blocks the server's event loop. One worker is kept warm (loading the Wasm module costs
 * ~0.3 s) and unref'ed so it never keeps the process alive; requests are served one at a time.
 *
 * The worker's source is inline (eval worker) and loads `highs` by absolute path: it works the
 * same under tsx, vitest and the built server, with no separate file for a bundler to miss.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { ModelSolveRequest, ModelSolveResult, ModelSolver } from './assignment-model.ts'

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads')
const loading = require(workerData.highsPath)()
const STATUS = { 7: 'Optimal', 8: 'Infeasible', 13: 'Time limit reached', 14: 'Iteration limit reached', 17: 'Interrupted' }
parentPort.on('message', async (req) => {
  try {
    const highs = await loading
    parentPort.postMessage({ id: req.id, ok: true, result: solve(highs, req) })
  } catch (error) {
    parentPort.postMessage({ id: req.id, ok: false, error: String((error && error.stack) || error) })
  }
})
function solve(highs, req) {
  const started = Date.now()
  const m = req.model
  const model = highs.createModel({
    numCols: m.numCols, numRows: m.numRows, colCost: m.fillCost, colLower: m.colLower, colUpper: m.colUpper,
    rowLower: m.rowLower, rowUpper: m.rowUpper, integrality: m.integrality,
    matrix: { format: 'csc', numRows: m.numRows, numCols: m.numCols, starts: m.starts, indices: m.indices, values: m.values },
  })
  try {
    // Objectives are integers: an absolute gap below 1 proves optimality; no relative gap.
    model.options.set({ output_flag: false, time_limit: req.timeLimitSeconds, mip_rel_gap: 0, mip_abs_gap: 0.5 })
    model.run()
    const s1 = model.getModelStatus()
    const names = [STATUS[s1] || String(s1), '']
    if (s1 !== 7 && s1 !== 13) {
      return { status: s1 === 8 ? 'infeasible' : 'error', stageStatus: names, colValue: new Float64Array(m.numCols), filled: 0, objective: 0, bound: null, ms: Date.now() - started }
    }
    const x1 = model.getSolution().colValue
    let filledRaw = 0
    for (let j = 0; j < m.pairColumns; j++) filledRaw += x1[j]
    const filled = m.integrality.some((v) => v === 1) ? Math.round(filledRaw) : filledRaw
    if (s1 === 13) {
      names[1] = 'skipped'
      return { status: 'timeLimit', stageStatus: names, colValue: x1, filled, objective: -dot(m.valueCost, x1), bound: null, ms: Date.now() - started }
    }
    // Stage 2: keep the filled slots, maximise score − load cost. Warm start from stage 1.
    model.changeColsCost({ kind: 'range', from: 0, to: m.numCols - 1 }, m.valueCost)
    const idx = new Int32Array(m.pairColumns)
    for (let j = 0; j < m.pairColumns; j++) idx[j] = j
    model.addRow(filled - 1e-6, Infinity, { indices: idx, values: new Float64Array(m.pairColumns).fill(1) })
    try { model.setSolution({ colValue: x1 }) } catch {}
    model.run()
    const s2 = model.getModelStatus()
    names[1] = STATUS[s2] || String(s2)
    const x2 = s2 === 7 || s2 === 13 ? model.getSolution().colValue : x1
    let bound = null
    try { const b = model.info.get('mip_dual_bound'); if (typeof b === 'number' && Number.isFinite(b)) bound = -b } catch {}
    return {
      status: s2 === 7 ? 'optimal' : s2 === 13 ? 'timeLimit' : 'error',
      stageStatus: names, colValue: x2, filled, objective: -dot(m.valueCost, x2), bound, ms: Date.now() - started,
    }
  } finally {
    model.dispose()
  }
}
function dot(a, b) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s }
`

interface Pending {
  resolve: (r: ModelSolveResult) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
}

let worker: Worker | null = null
let nextId = 1
const pending = new Map<number, Pending>()
let queue: Promise<unknown> = Promise.resolve()

function failAll(error: Error) {
  for (const [id, p] of pending) {
    clearTimeout(p.timer)
    p.reject(error)
    pending.delete(id)
  }
}

function getWorker(): Worker {
  if (worker) return worker
  const highsPath = createRequire(import.meta.url).resolve('highs')
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { highsPath } })
  w.unref()
  w.on('message', (msg: { id: number; ok: boolean; result?: ModelSolveResult; error?: string }) => {
    const p = pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id)
    clearTimeout(p.timer)
    if (msg.ok && msg.result) p.resolve(msg.result)
    else p.reject(new Error(`HiGHS worker: ${msg.error ?? 'no result'}`))
  })
  w.on('error', (e) => {
    worker = null
    failAll(e instanceof Error ? e : new Error(String(e)))
  })
  w.on('exit', () => {
    worker = null
    failAll(new Error('HiGHS worker exited'))
  })
  worker = w
  return w
}

/**
 * Solves the model in the worker. HiGHS honours `timeLimitSeconds` itself; if the worker does not
 * answer within that limit plus a grace period (Wasm load, a stuck solve), it is terminated and
 * the call fails rather than hanging a request.
 */
export const solveModelInWorker: ModelSolver = (request: ModelSolveRequest) => {
  const run = () =>
    new Promise<ModelSolveResult>((resolve, reject) => {
      const w = getWorker()
      const id = nextId++
      const graceMs = 10_000
      const timer = setTimeout(
        () => {
          pending.delete(id)
          reject(new Error(`HiGHS worker did not answer within ${request.timeLimitSeconds}s + ${graceMs / 1000}s; terminated`))
          void w.terminate()
        },
        request.timeLimitSeconds * 1000 + graceMs,
      )
      timer.unref()
      pending.set(id, { resolve, reject, timer })
      w.ref()
      w.postMessage({ id, model: request.model, timeLimitSeconds: request.timeLimitSeconds })
    }).finally(() => {
      if (!pending.size) worker?.unref()
    })
  const result = queue.then(run, run)
  queue = result.catch(() => undefined)
  return result
}

/** Stops the warm worker (tests, shutdown). */
export async function stopModelWorker(): Promise<void> {
  const w = worker
  worker = null
  if (w) await w.terminate()
}
