/**
 * Reads an uploaded .xlsx (or a large .csv) in a worker thread with a time limit, so parsing it
 * (40–130 ms for a 2,000-row attendance workbook once warm, up to ~0.6 s cold under load) never
 * blocks the event loop for everyone else's requests. read.server.ts decides which files come here.
 *
 * Like the batch-plan worker (modules/matching/batch-worker.server.ts) it is an eval worker whose
 * source is sheet.ts itself, bundled once per process by esbuild from the TypeScript next to this
 * file, so the same code runs under tsx, vitest and the built server, and the worker's result is
 * exactly the inline path's (tested). The bundle is built with esbuild's asynchronous API, so even
 * that one-time step does not hold the event loop. exceljs is not bundled: the worker requires it,
 * for an .xlsx only, by the absolute path this module resolves (as the HiGHS worker does with `highs`).
 *
 * One worker per file, terminated when the rows arrive, when it fails, or at the time limit; the
 * call settles only once that thread has stopped, so no worker outlives it. A warm worker would
 * save the ~0.25 s (of another core) that starting a thread and loading exceljs take, but imports
 * are occasional staff actions, and a fresh worker keeps nothing between uploads: no heap grown by
 * one large workbook held for the life of the process, no queue where a slow file delays the next
 * one, and a time limit or memory failure stops only the file that caused it. Its heap is capped
 * (WORKER_MAX_HEAP_MB), so a decompression bomb ends that worker, not the server. A workbook that
 * hits the time limit or the cap is reported as SpreadsheetError('unreadable'), like a damaged one
 * (tried: a 2 MB upload holding 2 GB of sheet XML is refused in ~5 s while the event loop runs on).
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { build } from 'esbuild'
import { type SheetData, SpreadsheetError, type SpreadsheetErrorReason, type SpreadsheetKind } from './sheet.ts'

/** Default time limit of one file in the worker (a full 5 MB workbook parses in a few seconds). */
const DEFAULT_TIME_LIMIT_MS = 30_000
/** Old-generation heap of the worker; a 4.4 MB upload of 60,000 × 12 cells needs ~300 MB. */
const WORKER_MAX_HEAP_MB = 1024

const ENTRY = `
import { parentPort, workerData } from 'node:worker_threads'
import { SpreadsheetError, sheetFromCsv, sheetFromXlsx } from './sheet.ts'
parentPort.once('message', async ({ kind, bytes, maxRows }) => {
  try {
    const sheet = kind === 'xlsx' ? await sheetFromXlsx(require(workerData.exceljsPath), bytes, maxRows) : sheetFromCsv(bytes, maxRows)
    parentPort.postMessage({ ok: true, sheet })
  } catch (error) {
    if (error instanceof SpreadsheetError) parentPort.postMessage({ ok: false, reason: error.reason })
    else parentPort.postMessage({ ok: false, error: String((error && error.stack) || error) })
  }
})
`

type WorkerReply = { ok: true; sheet: SheetData } | { ok: false; reason?: SpreadsheetErrorReason; error?: string }

let bundling: Promise<string> | null = null
let exceljsPath: string | null = null

/** The worker's source: ENTRY with sheet.ts, bundled once per process (CommonJS, for an eval worker). */
function workerSource(): Promise<string> {
  if (bundling) return bundling
  // Through the package's `#app/*` import map, so the built server finds the sources too.
  const dir = path.dirname(createRequire(import.meta.url).resolve('#app/lib/xlsx/sheet.ts'))
  bundling = build({
    stdin: { contents: ENTRY, resolveDir: dir, loader: 'ts', sourcefile: 'read-worker-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    external: ['exceljs'],
  }).then(
    (result) => result.outputFiles[0]!.text,
    (error) => {
      bundling = null
      throw error
    },
  )
  return bundling
}

/** The first sheet of a file, read in a worker thread; rejects like the inline path (SpreadsheetError). */
export async function readSheetInWorker(
  kind: SpreadsheetKind,
  bytes: Uint8Array,
  maxRows: number,
  timeLimitMs = DEFAULT_TIME_LIMIT_MS,
): Promise<SheetData> {
  const source = await workerSource()
  exceljsPath ??= createRequire(import.meta.url).resolve('exceljs')
  // A copy of exactly these bytes, moved (not copied again) to the worker; the caller keeps its own.
  const copy = bytes.slice()
  return new Promise<SheetData>((resolve, reject) => {
    const worker = new Worker(source, {
      eval: true,
      workerData: { exceljsPath },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_MAX_HEAP_MB },
    })
    let settled = false
    // The call settles only once the thread has stopped: no worker outlives the call.
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      worker.terminate().then(fn, fn)
    }
    const timer = setTimeout(() => finish(() => reject(new SpreadsheetError('unreadable'))), timeLimitMs)
    worker.on('message', (reply: WorkerReply) =>
      finish(() => {
        if (reply.ok) resolve(reply.sheet)
        else if (reply.reason) reject(new SpreadsheetError(reply.reason))
        else reject(new Error(`spreadsheet worker: ${reply.error ?? 'no rows'}`))
      }),
    )
    worker.on('error', (error: Error & { code?: string }) =>
      finish(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new SpreadsheetError('unreadable') : error)),
    )
    worker.on('exit', (code) => finish(() => reject(new Error(`spreadsheet worker exited (${code}) without rows`))))
    worker.postMessage({ kind, bytes: copy, maxRows }, [copy.buffer])
  })
}
