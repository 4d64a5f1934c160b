/**
 * Batch assignment cancelled: when the request planning a batch goes away (the browser's Stop, the
 * page's cancel link, leaving the page), the action stops the plan (BatchCancelled), writes nothing
 * but a `case.batch_cancelled` audit entry, and proposes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { todayInChina } from '#app/lib/time.ts'
import { action as batchAction } from '#app/routes/_app.cases.batch.tsx'
import { action as newCaseAction } from '#app/routes/_app.cases.new.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { type World, buildWorld, call } from '#tests/security/world.ts'

const TODAY = todayInChina()
let world: World
let caseId: string

beforeAll(async () => {
  world = await buildWorld(testDb())
  const form = {
    title: '取消测试纠纷',
    summary: '批量指派取消',
    disputeType: '物业',
    regionCode: '110108',
    orgId: world.orgs.hdCommittee,
    source: 'party',
    difficulty: 'complex',
    partyCount: '2',
    'parties[0].kind': 'organisation',
    'parties[0].name': '某物业公司',
    'parties[1].kind': 'organisation',
    'parties[1].name': '某业主委员会',
    expertsNeeded: '1',
    consultationMode: 'written',
    periodStart: TODAY,
    periodEnd: TODAY,
    deadline: TODAY,
  }
  const created = await call(newCaseAction, '/cases/new', { method: 'POST', form, cookie: world.users.hdStaff.cookie })
  expect(created.status).toBe(302)
  caseId = (await testDb().selectFrom('cases').select('id').where('title', '=', '取消测试纠纷').executeTakeFirstOrThrow()).id
})

describe(`batch assignment cancelled (${testDialect()})`, () => {
  it('stops planning when the request is gone, proposes nothing and audits the cancellation', async () => {
    const controller = new AbortController()
    controller.abort()
    const form = new URLSearchParams({ intent: 'plan', caseId })
    const base = makeRequest('/cases/batch', { method: 'POST', form: Object.fromEntries(form), cookie: world.users.hdStaff.cookie })
    const request = new Request(base, { signal: controller.signal })
    const thrown = await Promise.resolve(batchAction({ request, params: {}, context: {} })).then(
      () => null,
      (error: unknown) => error,
    )
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(499)
    const entries = await testDb()
      .selectFrom('audit_log')
      .select(['result', 'detail'])
      .where('action', '=', 'case.batch_cancelled')
      .execute()
    expect(entries).toHaveLength(1)
    expect(entries[0]!.result).toBe('failed')
    expect(JSON.parse(entries[0]!.detail!)).toEqual({ cases: 1 })
    expect(await testDb().selectFrom('case_consultations').select('id').where('case_id', '=', caseId).execute()).toHaveLength(0)
  })

  it('plans as before when the request stays', async () => {
    const outcome = await call(batchAction, '/cases/batch', {
      method: 'POST',
      form: { intent: 'plan', caseId },
      cookie: world.users.hdStaff.cookie,
    })
    expect(outcome.status).toBe(200)
    expect((outcome.data as { plan: { caseIds: string[] } }).plan.caseIds).toEqual([caseId])
  })
})
