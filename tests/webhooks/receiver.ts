/**
 * A partner system's webhook endpoint, for tests: it verifies each request's signature exactly as
 * docs/webhooks.md tells partners to (raw body, Tiaojie-Signature, tolerance), remembers event ids
 * to recognise duplicates, and answers what the test planned (200 by default).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifySignature } from '#app/modules/webhooks/signature.ts'

export interface ReceivedDelivery {
  path: string
  eventId: string
  deliveryId: string
  verified: boolean
  duplicate: boolean
  answered: number
  body: { id: string; type: string; created_at: string; data: Record<string, unknown> }
}

export interface TestReceiver {
  url: (path: string) => string
  received: ReceivedDelivery[]
  /** Status codes to answer on a path, in order; 200 once they run out. */
  plan: (path: string, statuses: number[]) => void
  /** Resolves when `count` requests have arrived (or rejects after `timeoutMs`). */
  waitFor: (count: number, timeoutMs?: number) => Promise<void>
  close: () => Promise<void>
}

export async function startReceiver(secret: string): Promise<TestReceiver> {
  const received: ReceivedDelivery[] = []
  const processed = new Set<string>()
  const plans = new Map<string, number[]>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const check = verifySignature(secret, raw, req.headers['tiaojie-signature'] as string | undefined)
      let body: ReceivedDelivery['body']
      try {
        body = JSON.parse(raw)
      } catch {
        res.writeHead(400).end()
        return
      }
      const duplicate = processed.has(body.id)
      const answered = check.ok ? (plans.get(req.url ?? '')?.shift() ?? 200) : 401
      if (answered === 200) processed.add(body.id)
      received.push({
        path: req.url ?? '',
        eventId: String(req.headers['tiaojie-event-id'] ?? ''),
        deliveryId: String(req.headers['tiaojie-delivery-id'] ?? ''),
        verified: check.ok,
        duplicate,
        answered,
        body,
      })
      res.writeHead(answered, { 'Content-Type': 'application/json' }).end(JSON.stringify({ duplicate }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: (path) => `${base}${path}`,
    received,
    plan: (path, statuses) => plans.set(path, [...statuses]),
    waitFor: async (count, timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`the receiver got ${received.length} of ${count} deliveries in ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
