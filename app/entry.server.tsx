import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { NonceContext } from './components/nonce.tsx'
import { CoalescingStream } from './lib/coalescing-stream.server.ts'
import { startWebhookWorker, stopWebhookWorker } from './modules/webhooks/worker.server.ts'
import { startRetentionJob, stopRetentionJob } from './modules/retention/scheduler.server.ts'
import { startExportWorker, stopExportWorker } from './modules/jobs/runner.server.ts'
import { startTrainingFiguresJob, stopTrainingFiguresJob } from '#app/modules/training/figures-job.server.ts'

/** server/start.js closes the pool through this when it shuts down (docs/decisions/027-failure-behaviour.md). */
export { closeDb as closeDatabase } from './lib/db.server.ts'

const ABORT_DELAY = 5_000
/** A 503 (the database is unreachable: server/unavailable.js) tells clients when to try again. */
const RETRY_AFTER_SECONDS = '10'

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === 'string' ? loadContext.cspNonce : undefined
  const waitForAll = isbot(request.headers.get('user-agent') ?? '')
  let status = responseStatusCode
  if (status === 503 && !responseHeaders.has('Retry-After')) responseHeaders.set('Retry-After', RETRY_AFTER_SECONDS)
  return new Promise((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true
          // React's 2 KB pieces go on together at each of its flushes (docs/decisions/031-load-test-findings.md).
          const body = new CoalescingStream()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status }))
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          status = 500
          // Errors after the shell are logged here; before it, handleError below logs them.
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}

export const handleDataRequest: HandleDataRequestFunction = (response) => {
  if (response.status === 503 && !response.headers.has('Retry-After')) response.headers.set('Retry-After', RETRY_AFTER_SECONDS)
  return response
}

/**
 * Work the app process does besides answering requests, started once by server/start.js (through
 * the server build's entry module): the webhook delivery worker (app/modules/webhooks) and the
 * export worker (app/modules/jobs).
 */
export function startBackgroundJobs(): void {
  if (process.env.TIAOJIE_BACKGROUND_JOBS === 'off') return
  startWebhookWorker()
  // The daily purge of closed cases' party data after the retention (app/modules/retention).
  startRetentionJob()
  // Long exports with progress and cancel (app/modules/jobs).
  startExportWorker()
  // Training figures per organisation for city- and province-wide pages (app/modules/training).
  startTrainingFiguresJob()
}

/** Before the pool closes at shutdown: no new rounds (a round in flight finishes or fails harmlessly). */
export function stopBackgroundJobs(): void {
  stopWebhookWorker()
  stopRetentionJob()
  stopExportWorker()
  stopTrainingFiguresJob()
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  // Aborted requests (the user navigated away) are not errors worth logging.
  if (request.signal.aborted) return
  console.error(error)
}
