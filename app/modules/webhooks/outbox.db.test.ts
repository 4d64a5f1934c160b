/**
 * The outbox on the database: a referred case's status change writes exactly one event and one
 * pending delivery in its own transaction, a rolled-back or refused change writes none, cases no
 * client referred write nothing, the first invitation's move to 专家咨询 is reported too, and two
 * workers claiming the same due delivery send it once.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { todayInChina } from '#app/lib/time.ts'
import { createCase, moveCase } from '#app/modules/cases/cases.server.ts'
import { inTransaction, inviteExpert } from '#app/modules/cases/consultations.server.ts'
import { clearExpertPoolCache } from '#app/modules/cases/matching.server.ts'
import { createExpert } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld } from '#tests/security/world.ts'
import { createWebhookClient, referCase } from '#tests/webhooks/fixtures.ts'
import { claimDue, runDueDeliveries } from './worker.server.ts'
import type { SendResult } from './send.server.ts'
import { caseInput } from '#tests/fixtures/cases.ts'

const TODAY = todayInChina()
const db = () => testDb()
let world: World
let clientId: string

function referredCaseInput() {
  return caseInput(
    { orgId: world.orgs.hdCommittee, regionCode: '110108' },
    {
      title: '建设工程款纠纷',
      disputeType: '医疗',
      parties: [
        { kind: 'organisation', name: '某建筑公司' },
        { kind: 'organisation', name: '某开发公司' },
      ],
      expertsNeeded: 2,
    },
  )
}

async function referredCase() {
  const { id } = await createCase(db(), referredCaseInput(), null)
  const externalRef = await referCase(db(), id, clientId)
  return { id, externalRef }
}

async function versionOf(caseId: string) {
  return (await db().selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version
}

async function deliveriesOf(caseId: string) {
  return db()
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.status', 'd.kind', 'd.open_event_id', 'd.client_id', 'e.id as event_id', 'e.body'])
    .where('e.case_id', '=', caseId)
    .orderBy('d.id')
    .execute()
}

beforeAll(async () => {
  world = await buildWorld(db())
  clientId = (await createWebhookClient(db(), { webhookUrl: 'http://127.0.0.1:9/hook' })).id
})

describe(`webhook outbox (${testDialect()})`, () => {
  it('a status change of a referred case writes exactly one event and one pending delivery', async () => {
    const kase = await referredCase()
    const moved = await moveCase(db(), kase.id, 'accepted', await versionOf(kase.id), null)
    expect(moved).toEqual({ ok: true, from: 'registered' })
    const rows = await deliveriesOf(kase.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'pending', kind: 'original', client_id: clientId })
    expect(rows[0]!.open_event_id).toBe(rows[0]!.event_id)
    const body = JSON.parse(rows[0]!.body)
    expect(body).toMatchObject({
      id: rows[0]!.event_id,
      type: 'case.status_changed',
      data: { case_id: kase.id, external_ref: kase.externalRef, status: 'accepted', previous_status: 'registered', outcome: null },
    })
  })

  it('a conclusion carries the outcome and its note, and closing keeps the outcome', async () => {
    const kase = await referredCase()
    for (const to of ['accepted', 'mediating'] as const) await moveCase(db(), kase.id, to, await versionOf(kase.id), null)
    await moveCase(db(), kase.id, 'succeeded', await versionOf(kase.id), '双方自愿达成调解协议')
    await moveCase(db(), kase.id, 'closed', await versionOf(kase.id), null)
    const bodies = (await deliveriesOf(kase.id)).map((r) => JSON.parse(r.body).data)
    expect(bodies.map((b) => b.status)).toEqual(['accepted', 'mediating', 'succeeded', 'closed'])
    expect(bodies[2]).toMatchObject({ outcome: 'succeeded', outcome_note: '双方自愿达成调解协议' })
    expect(bodies[3]).toMatchObject({
      status: 'closed',
      previous_status: 'succeeded',
      outcome: 'succeeded',
      outcome_note: '双方自愿达成调解协议',
    })
  })

  it('a rolled-back change writes no delivery, and neither does a stale version', async () => {
    const kase = await referredCase()
    const version = await versionOf(kase.id)
    await expect(
      inTransaction(db(), async (trx) => {
        const moved = await moveCase(trx, kase.id, 'accepted', version, null)
        expect(moved.ok).toBe(true)
        expect(await trx.selectFrom('webhook_events').select('id').where('case_id', '=', kase.id).execute()).toHaveLength(1)
        throw new Error('rolled back on purpose')
      }),
    ).rejects.toThrow('rolled back on purpose')
    expect(await versionOf(kase.id)).toBe(version)
    expect(await deliveriesOf(kase.id)).toHaveLength(0)
    expect(await moveCase(db(), kase.id, 'accepted', version + 5, null)).toEqual({ ok: false, message: 'form.staleVersion' })
    expect(await deliveriesOf(kase.id)).toHaveLength(0)
  })

  it('cases nobody referred, and clients without a URL or disabled, write nothing', async () => {
    const plain = await createCase(db(), referredCaseInput(), null)
    await moveCase(db(), plain.id, 'accepted', await versionOf(plain.id), null)
    expect(await deliveriesOf(plain.id)).toHaveLength(0)
    for (const client of [{ webhookUrl: null }, { webhookUrl: 'http://127.0.0.1:9/x', status: 'disabled' as const }]) {
      const { id: otherClient } = await createWebhookClient(db(), client)
      const { id } = await createCase(db(), referredCaseInput(), null)
      await referCase(db(), id, otherClient)
      await moveCase(db(), id, 'accepted', await versionOf(id), null)
      expect(await deliveriesOf(id)).toHaveLength(0)
    }
  })

  it('the first invitation moving the case to 专家咨询 is reported in the invitation transaction', async () => {
    const kase = await referredCase()
    await moveCase(db(), kase.id, 'accepted', await versionOf(kase.id), null)
    const built = await createExpert(db(), { primary: ['医疗'], max_concurrent_cases: 3 })
    clearExpertPoolCache()
    const invited = await inviteExpert(db(), {
      caseId: kase.id,
      expertId: built.expert.person_id,
      source: 'search',
      mode: 'written',
      deadline: TODAY,
      userId: null,
      today: TODAY,
    })
    expect(invited.ok).toBe(true)
    const statuses = (await deliveriesOf(kase.id)).map((r) => JSON.parse(r.body).data.status)
    expect(statuses).toEqual(['accepted', 'consulting'])
  })

  it('two workers claiming the same due delivery: one claim wins and the event is sent once', async () => {
    const kase = await referredCase()
    await moveCase(db(), kase.id, 'accepted', await versionOf(kase.id), null)
    const [delivery] = await deliveriesOf(kase.id)
    // Only this delivery is due: push every other pending one into the future for this test.
    await db()
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: '2999-01-01T00:00:00.000Z' })
      .where('id', '!=', delivery!.id)
      .where('status', '=', 'pending')
      .execute()
    const sent: string[] = []
    const send = async (_url: string, body: string): Promise<SendResult> => {
      sent.push(JSON.parse(body).id)
      await new Promise((r) => setTimeout(r, 20))
      return { statusCode: 204, error: null, excerpt: null, durationMs: 20 }
    }
    const [a, b] = await Promise.all([
      runDueDeliveries(db(), { workerId: 'server-a', send }),
      runDueDeliveries(db(), { workerId: 'server-b', send }),
    ])
    expect(a.claimed + b.claimed).toBe(1)
    expect(sent).toEqual([delivery!.event_id])
    const after = await db().selectFrom('webhook_deliveries').selectAll().where('id', '=', delivery!.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ status: 'delivered', attempt_count: 1, open_event_id: null, claimed_by: null })
    const attempts = await db().selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', delivery!.id).execute()
    expect(attempts).toHaveLength(1)
    expect(attempts[0]).toMatchObject({ attempt_no: 1, status_code: 204, error: null })
    // Nothing is due any more: a further round claims nothing.
    expect((await runDueDeliveries(db(), { workerId: 'server-a', send })).claimed).toBe(0)
  })

  it('a claim that lapsed (its server died mid-send) is taken over, and the late result of the old claim is ignored', async () => {
    const kase = await referredCase()
    await moveCase(db(), kase.id, 'accepted', await versionOf(kase.id), null)
    const [delivery] = await deliveriesOf(kase.id)
    const now = new Date()
    const first = await claimDue(db(), 'dead-server', now, 1000, 50)
    expect(first.map((c) => c.id)).toContain(delivery!.id)
    // Within the lease nobody else may take it.
    expect((await claimDue(db(), 'other', now, 1000, 50)).map((c) => c.id)).not.toContain(delivery!.id)
    const later = new Date(now.getTime() + 2000)
    const second = await claimDue(db(), 'other', later, 1000, 50)
    const taken = second.find((c) => c.id === delivery!.id)
    expect(taken).toMatchObject({ attemptNo: 2 })
    const row = await db()
      .selectFrom('webhook_deliveries')
      .select(['claimed_by', 'attempt_count'])
      .where('id', '=', delivery!.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ claimed_by: 'other', attempt_count: 2 })
  })
})
