/**
 * One HTTP POST to a receiver, defensively: http(s) only, no redirects followed (a 3xx is a
 * failure: a moved endpoint must be re-registered, and following would send signed case data
 * wherever a Location points), one deadline for connecting, sending and reading, and at most
 * MAX_RESPONSE_BYTES of the answer read (only an excerpt is kept).
 */
import http from 'node:http'
import https from 'node:https'

export const MAX_RESPONSE_BYTES = 4096
export const EXCERPT_CHARS = 200

export interface SendResult {
  statusCode: number | null
  /** Machine-readable failure: `timeout`, `redirect`, `status`, `network:<code>`, `invalid_url`; null when delivered (2xx). */
  error: string | null
  excerpt: string | null
  durationMs: number
}

export interface SendOptions {
  timeoutMs: number
  maxResponseBytes?: number
}

export function postWebhook(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendResult> {
  const started = Date.now()
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return Promise.resolve({ statusCode: null, error: 'invalid_url', excerpt: null, durationMs: 0 })
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.resolve({ statusCode: null, error: 'invalid_url', excerpt: null, durationMs: 0 })
  }
  const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES
  const transport = target.protocol === 'https:' ? https : http
  return new Promise<SendResult>((resolve) => {
    let settled = false
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      resolve({ ...result, durationMs: Date.now() - started })
    }
    const request = transport.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) },
        // A fresh connection each time: no socket shared with other receivers or kept open.
        agent: false,
      },
      (response) => {
        const statusCode = response.statusCode ?? null
        const chunks: Buffer[] = []
        let size = 0
        const done = () => {
          const excerpt = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS) || null
          if (statusCode !== null && statusCode >= 300 && statusCode < 400) finish({ statusCode, error: 'redirect', excerpt })
          else if (statusCode !== null && statusCode >= 200 && statusCode < 300) finish({ statusCode, error: null, excerpt })
          else finish({ statusCode, error: 'status', excerpt })
        }
        response.on('data', (chunk: Buffer) => {
          if (size >= limit) return
          const room = limit - size
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk)
          size += Math.min(chunk.length, room)
          // Enough read: stop the transfer rather than drain a large or endless answer.
          if (size >= limit) {
            done()
            response.destroy()
          }
        })
        response.on('end', done)
        response.on('error', () => done())
        response.on('close', done)
      },
    )
    const deadline = setTimeout(() => {
      finish({ statusCode: null, error: 'timeout', excerpt: null })
      request.destroy()
    }, options.timeoutMs)
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ statusCode: null, error: `network:${error.code ?? 'error'}`, excerpt: null }),
    )
    request.end(body)
  })
}
