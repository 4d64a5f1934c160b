import { RemixBrowser } from '@remix-run/react'

interface RemixContextWindow {
  __remixContext?: { future?: { v3_singleFetch?: boolean }; stream?: unknown }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/**
 * Waits until Remix has decoded the loader data the server put into the page.
 *
 * With single fetch, RemixBrowser decodes that data (a turbo-stream) asynchronously during its
 * first render and suspends until it is done. A click or keypress on a page not yet hydrated makes
 * React 18 hydrate synchronously inside that event; if the data is still being decoded, the
 * synchronous render suspends with no boundary above it, React gives up on the root ("Root did not
 * complete", error 345) and the input is lost: the page never becomes interactive. Found by the
 * e2e runs (a sign-in or set-up form submitted while the page hydrated did nothing).
 *
 * Calling the component as a plain function starts the decoding: RemixBrowser checks the decoding
 * before its first hook, and throws the pending promise while the stream is undecoded, which is
 * the only case this runs in. A decoding error is left for RemixBrowser to throw again during
 * hydration, where the error boundary shows it.
 */
export async function serverStateDecoded(): Promise<void> {
  const context = (window as unknown as RemixContextWindow).__remixContext
  if (!context?.future?.v3_singleFetch || !context.stream) return
  try {
    RemixBrowser({})
  } catch (pending) {
    if (isThenable(pending)) await pending
  }
}
