/**
 * The delivery log pages: staff see deliveries of cases in their scope only (a Chaoyang officer
 * neither lists nor opens a Haidian delivery), filters by client and status narrow the list,
 * users without the permission are refused, and a replay through the page queues one delivery
 * (a double submit is refused, not duplicated) and is audited.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createCase, moveCase } from '#app/modules/cases/cases.server.ts'
import { action as deliveryAction, loader as deliveryLoader } from '#app/routes/_app.admin.webhooks.$deliveryId.tsx'
import { loader as listLoader } from '#app/routes/_app.admin.webhooks._index.tsx'
import { loader as caseLoader } from '#app/routes/_app.cases.$caseId.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld, call } from '#tests/security/world.ts'
import { createWebhookClient, referCase } from './fixtures.ts'
import { caseInput } from '#tests/fixtures/cases.ts'

const db = () => testDb()
let world: World
let hdDelivery: string
let hdCase: string
let clientA: string
let clientB: string

async function referred(orgId: string, regionCode: string, clientId: string) {
  const { id } = await createCase(db(), caseInput({ orgId, regionCode }, { title: '委派调解案件' }), null)
  await referCase(db(), id, clientId)
  await moveCase(db(), id, 'accepted', 1, null)
  const d = await db()
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select('d.id')
    .where('e.case_id', '=', id)
    .executeTakeFirstOrThrow()
  return { caseId: id, deliveryId: d.id }
}

type ListData = { rows: { id: string; client_name: string; status: string }[]; total: number }

beforeAll(async () => {
  world = await buildWorld(db())
  clientA = (await createWebhookClient(db(), { name: '海淀区人民法院', webhookUrl: 'http://127.0.0.1:9/a' })).id
  clientB = (await createWebhookClient(db(), { name: '朝阳区人民法院', webhookUrl: 'http://127.0.0.1:9/b', regionCode: '110105' })).id
  const hd = await referred(world.orgs.hdCommittee, '110108', clientA)
  hdDelivery = hd.deliveryId
  hdCase = hd.caseId
  await referred(world.orgs.cyCommittee, '110105', clientB)
  await db().updateTable('webhook_deliveries').set({ status: 'failed', open_event_id: null }).where('client_id', '=', clientB).execute()
})

describe(`delivery log pages (${testDialect()})`, () => {
  it('lists deliveries in the user scope, with client and status filters', async () => {
    const admin = await call(listLoader, '/admin/webhooks', { cookie: world.users.admin.cookie })
    expect((admin.data as ListData).total).toBe(2)
    const hd = await call(listLoader, '/admin/webhooks', { cookie: world.users.hdStaff.cookie })
    expect((hd.data as ListData).rows.map((r) => r.id)).toEqual([hdDelivery])
    const cy = await call(listLoader, '/admin/webhooks', { cookie: world.users.cyStaff.cookie })
    expect((cy.data as ListData).rows.map((r) => r.client_name)).toEqual(['朝阳区人民法院'])
    const failed = await call(listLoader, '/admin/webhooks?status=failed', { cookie: world.users.admin.cookie })
    expect((failed.data as ListData).rows.map((r) => r.client_name)).toEqual(['朝阳区人民法院'])
    const byClient = await call(listLoader, `/admin/webhooks?client=${clientA}`, { cookie: world.users.admin.cookie })
    expect((byClient.data as ListData).rows.map((r) => r.id)).toEqual([hdDelivery])
    const byCase = await call(listLoader, `/admin/webhooks?case=${hdCase}`, { cookie: world.users.bjStaff.cookie })
    expect((byCase.data as ListData).rows.map((r) => r.id)).toEqual([hdDelivery])
  })

  it('refuses users without the permission, and answers 404 for a delivery outside the scope', async () => {
    for (const user of ['mediator', 'expert', 'hdManager', 'auditor'] as const) {
      expect((await call(listLoader, '/admin/webhooks', { cookie: world.users[user].cookie })).status).toBe(403)
    }
    const params = { deliveryId: hdDelivery }
    expect((await call(deliveryLoader, `/admin/webhooks/${hdDelivery}`, { cookie: world.users.cyStaff.cookie, params })).status).toBe(404)
    const seen = await call(deliveryLoader, `/admin/webhooks/${hdDelivery}`, { cookie: world.users.hdStaff.cookie, params })
    expect(seen.status).toBe(200)
    expect(seen.data).toMatchObject({ delivery: { id: hdDelivery, status: 'pending' }, canReplay: true })
    const replay = await call(deliveryAction, `/admin/webhooks/${hdDelivery}`, {
      method: 'POST',
      form: { intent: 'replay' },
      cookie: world.users.cyStaff.cookie,
      params,
    })
    expect(replay.status).toBe(404)
  })

  it('the case page links to its notifications for a referred case only', async () => {
    const referredPage = await call(caseLoader, `/cases/${hdCase}`, { cookie: world.users.hdStaff.cookie, params: { caseId: hdCase } })
    expect(referredPage.data).toMatchObject({ deliveriesLink: true })
    const { id: plain } = await createCase(
      db(),
      caseInput(
        { orgId: world.orgs.hdCommittee, regionCode: '110108' },
        {
          title: '普通案件',
          summary: '当事人申请',
          source: 'party',
          difficulty: 'ordinary',
          parties: [
            { kind: 'organisation', name: '丙公司' },
            { kind: 'organisation', name: '丁公司' },
          ],
        },
      ),
      null,
    )
    const plainPage = await call(caseLoader, `/cases/${plain}`, { cookie: world.users.hdStaff.cookie, params: { caseId: plain } })
    expect(plainPage.data).toMatchObject({ deliveriesLink: false })
  })

  it('replay from the page: refused while the event is still open, then queued once and audited', async () => {
    const params = { deliveryId: hdDelivery }
    const post = () =>
      call(deliveryAction, `/admin/webhooks/${hdDelivery}`, {
        method: 'POST',
        form: { intent: 'replay' },
        cookie: world.users.hdStaff.cookie,
        params,
      })
    // The original is still pending: nothing to replay yet.
    const early = await post()
    expect(early.location).toBe(`/admin/webhooks/${hdDelivery}`)
    await db().updateTable('webhook_deliveries').set({ status: 'delivered', open_event_id: null }).where('id', '=', hdDelivery).execute()
    const [first, second] = [await post(), await post()]
    expect(first.status).toBe(302)
    expect(first.location).toMatch(/^\/admin\/webhooks\/[0-9A-Z]{26}$/)
    expect(second.location).toBe(`/admin/webhooks/${hdDelivery}`)
    const event = await db().selectFrom('webhook_deliveries').select('event_id').where('id', '=', hdDelivery).executeTakeFirstOrThrow()
    const all = await db()
      .selectFrom('webhook_deliveries')
      .select(['kind', 'requested_by'])
      .where('event_id', '=', event.event_id)
      .orderBy('id')
      .execute()
    expect(all).toEqual([
      { kind: 'original', requested_by: null },
      { kind: 'replay', requested_by: world.users.hdStaff.id },
    ])
    const audits = await db()
      .selectFrom('audit_log')
      .select(['result', 'user_id', 'detail'])
      .where('action', '=', 'webhook.replayed')
      .where('record_id', '=', hdDelivery)
      .execute()
    expect(audits.map((a) => a.result).sort()).toEqual(['denied', 'denied', 'ok'])
    const ok = audits.find((a) => a.result === 'ok')!
    expect(ok.user_id).toBe(world.users.hdStaff.id)
    expect(JSON.parse(ok.detail!)).toMatchObject({ eventId: event.event_id, caseId: hdCase })
  })
})
