/**
 * Deliveries over real HTTP to a small receiver in the test, which verifies every signature the
 * way docs/webhooks.md tells partners to, and deduplicates by event id: a 500 is retried after
 * the backoff and then delivered; a replay reaches the receiver with the same id and is recognised
 * as a duplicate; redirects are not followed; slow receivers time out; large answers are cut; the
 * last failed attempt marks the delivery failed.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeSetting } from '#app/lib/settings.server.ts'
import { createCase, moveCase } from '#app/modules/cases/cases.server.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld } from '#tests/security/world.ts'
import { createWebhookClient, referCase } from '#tests/webhooks/fixtures.ts'
import { replayDelivery } from './log.server.ts'
import { WEBHOOK_SETTINGS } from './settings.server.ts'
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, verifySignature } from './signature.ts'
import { runDueDeliveries } from './worker.server.ts'
import { caseInput } from '#tests/fixtures/cases.ts'

const db = () => testDb()
let world: World

/** The worker's clock, which the tests move past a backoff; the receiver verifies against it. */
let clock = Date.now()
const now = () => new Date(clock)

interface Received {
  path: string
  eventId: string
  deliveryId: string
  verified: boolean
  duplicate: boolean
  body: { id: string; data: { status: string } }
}

let server: http.Server
let base = ''
let secret = ''
const received: Received[] = []
const seen = new Set<string>()
/** What the receiver answers next, per path. */
const plans = new Map<string, number[]>()

function receiver(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = req.url ?? ''
    if (path === '/moved') {
      res.writeHead(302, { Location: `${base}/hook` }).end()
      return
    }
    if (path === '/slow') return // never answers
    if (path === '/huge') {
      res.writeHead(500, { 'Content-Type': 'text/plain' })
      res.end('x'.repeat(200_000))
      return
    }
    const check = verifySignature(secret, raw, req.headers['tiaojie-signature'] as string, { nowSeconds: Math.floor(clock / 1000) })
    const body = JSON.parse(raw)
    const duplicate = seen.has(body.id)
    received.push({
      path,
      eventId: String(req.headers[EVENT_ID_HEADER.toLowerCase()]),
      deliveryId: String(req.headers[DELIVERY_ID_HEADER.toLowerCase()]),
      verified: check.ok,
      duplicate,
      body,
    })
    if (!check.ok) {
      res.writeHead(401).end('bad signature')
      return
    }
    const status = plans.get(path)?.shift() ?? 200
    if (status === 200) seen.add(body.id)
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ duplicate }))
  })
}

async function referredCaseTo(path: string) {
  const client = await createWebhookClient(db(), { webhookUrl: `${base}${path}`, secret })
  const { id } = await createCase(db(), caseInput({ orgId: world.orgs.hdCommittee, regionCode: '110108' }), null)
  await referCase(db(), id, client.id)
  const version = (await db().selectFrom('cases').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version
  await moveCase(db(), id, 'accepted', version, null)
  const delivery = await db()
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.event_id'])
    .where('e.case_id', '=', id)
    .executeTakeFirstOrThrow()
  // The worker's clock starts at the moment the event was written.
  clock = Date.now()
  return { caseId: id, clientId: client.id, deliveryId: delivery.id, eventId: delivery.event_id }
}

const deliveryRow = (id: string) => db().selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const attemptsOf = (id: string) =>
  db().selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).orderBy('attempt_no').execute()
const round = () => runDueDeliveries(db(), { workerId: 'test-worker', now, random: () => 1 })

beforeAll(async () => {
  world = await buildWorld(db())
  secret = 'whsec_receiver-test-secret'
  server = http.createServer(receiver)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await writeSetting(db(), WEBHOOK_SETTINGS.maxAttempts, 3, null)
  await writeSetting(db(), WEBHOOK_SETTINGS.baseDelaySeconds, 30, null)
  await writeSetting(db(), WEBHOOK_SETTINGS.timeoutSeconds, 1, null)
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(async () => {
  clock = Date.now()
  received.length = 0
  // Earlier tests' leftovers are not due again during this one.
  await db()
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: '2999-01-01T00:00:00.000Z' })
    .where('status', 'in', ['pending', 'sending'])
    .execute()
})

describe(`webhook deliveries over HTTP (${testDialect()})`, () => {
  it('a 500 is retried after the backoff, then delivered; every request is signed and carries the same event id', async () => {
    plans.set('/hook', [500])
    const d = await referredCaseTo('/hook')
    expect(await round()).toMatchObject({ claimed: 1, retrying: 1 })
    const afterFirst = await deliveryRow(d.deliveryId)
    expect(afterFirst).toMatchObject({ status: 'pending', attempt_count: 1, last_status_code: 500, last_error: 'status' })
    // random() = 1: the full nominal delay of 30 s after the first failure.
    expect(Date.parse(afterFirst.next_attempt_at!) - clock).toBe(30_000)

    clock += 29_000
    expect((await round()).claimed).toBe(0)
    clock += 1_000
    expect(await round()).toMatchObject({ claimed: 1, delivered: 1 })

    expect(received.map((r) => [r.eventId, r.verified, r.body.id])).toEqual([
      [d.eventId, true, d.eventId],
      [d.eventId, true, d.eventId],
    ])
    expect(received.every((r) => r.deliveryId === d.deliveryId)).toBe(true)
    expect(received[1]!.body.data.status).toBe('accepted')
    expect(await deliveryRow(d.deliveryId)).toMatchObject({ status: 'delivered', attempt_count: 2, open_event_id: null })
    expect((await attemptsOf(d.deliveryId)).map((a) => [a.attempt_no, a.status_code, a.error])).toEqual([
      [1, 500, 'status'],
      [2, 200, null],
    ])
  })

  it('a replay reaches the receiver with the same event id, which recognises the duplicate; a second replay while it is open is refused', async () => {
    const d = await referredCaseTo('/hook')
    await round()
    expect(received).toHaveLength(1)
    const replay = await replayDelivery(db(), d.deliveryId, world.users.admin.id)
    expect(replay.ok).toBe(true)
    expect(await replayDelivery(db(), d.deliveryId, world.users.admin.id)).toEqual({ ok: false, reason: 'open' })
    clock = Date.now()
    expect(await round()).toMatchObject({ claimed: 1, delivered: 1 })
    expect(received).toHaveLength(2)
    expect(received[1]).toMatchObject({ eventId: d.eventId, verified: true, duplicate: true })
    expect(received[1]!.deliveryId).not.toBe(d.deliveryId)
    const original = JSON.stringify(received[0]!.body)
    expect(JSON.stringify(received[1]!.body)).toBe(original)
    const rows = await db()
      .selectFrom('webhook_deliveries')
      .select(['kind', 'status', 'requested_by'])
      .where('event_id', '=', d.eventId)
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { kind: 'original', status: 'delivered', requested_by: null },
      { kind: 'replay', status: 'delivered', requested_by: world.users.admin.id },
    ])
  })

  it('a redirect is not followed and counts as a failed attempt', async () => {
    const d = await referredCaseTo('/moved')
    expect(await round()).toMatchObject({ retrying: 1 })
    expect(received).toHaveLength(0)
    expect(await deliveryRow(d.deliveryId)).toMatchObject({ last_status_code: 302, last_error: 'redirect' })
  })

  it('a receiver that does not answer times out, and a huge answer is cut to an excerpt', async () => {
    const slow = await referredCaseTo('/slow')
    const started = Date.now()
    await round()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(await deliveryRow(slow.deliveryId)).toMatchObject({ status: 'pending', last_status_code: null, last_error: 'timeout' })

    await db()
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: '2999-01-01T00:00:00.000Z' })
      .where('id', '=', slow.deliveryId)
      .execute()
    const huge = await referredCaseTo('/huge')
    await round()
    const [attempt] = await attemptsOf(huge.deliveryId)
    expect(attempt).toMatchObject({ status_code: 500, error: 'status' })
    expect(attempt!.response_excerpt!.length).toBeLessThanOrEqual(200)
  })

  it('after the last allowed attempt fails the delivery is failed, and a replay can still be asked for', async () => {
    plans.set('/flaky', [500, 503, 500])
    const d = await referredCaseTo('/flaky')
    for (let i = 0; i < 3; i++) {
      await round()
      clock += 3_600_000
    }
    expect(await deliveryRow(d.deliveryId)).toMatchObject({
      status: 'failed',
      attempt_count: 3,
      open_event_id: null,
      next_attempt_at: null,
    })
    expect((await attemptsOf(d.deliveryId)).map((a) => a.status_code)).toEqual([500, 503, 500])
    expect((await round()).claimed).toBe(0)
    expect((await replayDelivery(db(), d.deliveryId, world.users.admin.id)).ok).toBe(true)
    expect(await round()).toMatchObject({ delivered: 1 })
    expect(received.filter((r) => r.eventId === d.eventId)).toHaveLength(4)
  })
})
