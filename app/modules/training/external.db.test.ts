/**
 * External training records through the real routes: a mediator claims training with a proof file,
 * the organisation's manager (or bureau staff in scope) approves or rejects it, and only approved
 * hours count in the archive and in compliance.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import * as recordRoute from '#app/routes/_app.training.external.$recordId.tsx'
import * as proofRoute from '#app/routes/_app.training.external.$recordId_.proof.tsx'
import * as queueRoute from '#app/routes/_app.training.external._index.tsx'
import * as newRoute from '#app/routes/_app.training.external.new.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { buildWorld, call, HAIDIAN, serialized, type World } from '#tests/security/world.ts'
import { hoursPerYear } from './archive.server.ts'
import { orgCompliance } from './compliance.server.ts'
import { proofDirectory } from './external.server.ts'

let world: World
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'tiaojie-proofs-'))
const today = todayInChina()
const YEAR = Number(today.slice(0, 4))
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

beforeAll(async () => {
  process.env.TIAOJIE_UPLOAD_DIR = uploads
  world = await buildWorld(testDb())
})

afterAll(() => {
  Reflect.deleteProperty(process.env, 'TIAOJIE_UPLOAD_DIR')
  fs.rmSync(uploads, { recursive: true, force: true })
})

function claim(
  over: Record<string, string> = {},
  file: { bytes: Uint8Array<ArrayBuffer>; name: string } | null = { bytes: PNG, name: '结业证书.png' },
) {
  const form = new FormData()
  const values = {
    submissionKey: newId(),
    title: '全市人民调解员业务培训班',
    provider: '北京市司法局',
    kind: 'annual',
    format: 'classroom',
    startDate: `${YEAR}-01-05`,
    endDate: `${YEAR}-01-06`,
    hours: '8',
    assessment: '合格',
    ...over,
  }
  for (const [k, v] of Object.entries(values)) form.append(k, v)
  if (file) form.append('proof', new File([file.bytes], file.name))
  return form
}

const submit = (form: FormData, cookie = world.users.mediator.cookie) => call(newRoute.action, '/training/external/new', { cookie, form })
const recordIdOf = (location: string | null) => location!.split('/').pop()!
const rowOf = (id: string) => testDb().selectFrom('training_records').selectAll().where('id', '=', id).executeTakeFirst()
/** Posts a record-page form; without an explicit version, the one a page loaded now would carry. */
const decide = async (id: string, cookie: string, form: Record<string, string>) => {
  const version = form.version ?? String((await rowOf(id))?.version ?? 1)
  return call(recordRoute.action, `/training/external/${id}`, { cookie, form: { version, ...form }, params: { recordId: id } })
}
const thisYearHours = async () => (await hoursPerYear(testDb(), world.people.hdMediator.id)).find((y) => y.year === YEAR)?.hours ?? 0

describe(`external training records (${testDialect()})`, () => {
  let pendingId = ''

  it('records a claim with its proof as pending, stored outside public/, audited; a double submit makes one record', async () => {
    const form = claim()
    const first = await submit(form)
    expect(first.status).toBe(302)
    pendingId = recordIdOf(first.location)
    const again = await submit(form)
    expect(recordIdOf(again.location)).toBe(pendingId)
    const rows = await testDb().selectFrom('training_records').selectAll().where('source', '=', 'external').execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      status: 'pending',
      hours_tenths: 80,
      organiser: '北京市司法局',
      completed_on: `${YEAR}-01-06`,
      year: YEAR,
      start_date: `${YEAR}-01-05`,
      proof_key: `training-proofs/${pendingId}.png`,
      proof_mime: 'image/png',
      reviewed_by: null,
      reviewed_at: null,
      review_reason: null,
      version: 1,
    })
    expect(proofDirectory().startsWith(uploads)).toBe(true)
    expect(fs.readFileSync(path.join(proofDirectory(), `${pendingId}.png`))).toEqual(Buffer.from(PNG))
    const audit = await testDb().selectFrom('audit_log').selectAll().where('record_id', '=', pendingId).execute()
    expect(audit.map((a) => a.action)).toEqual(['training.external_submitted'])
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ startDate: `${YEAR}-01-05`, proof: { type: 'png', bytes: PNG.length } })
    // Pending hours count nowhere.
    expect(await thisYearHours()).toBe(0)
  })

  it('refuses a bad proof or a future end date and keeps what was typed', async () => {
    const html = await submit(claim({}, { bytes: new TextEncoder().encode('<script>alert(1)</script>'), name: 'proof.pdf' }))
    expect(html.status).toBe(400)
    expect(serialized(html)).toContain('training.external.proofType')
    expect(serialized(html)).toContain('全市人民调解员业务培训班')
    const renamed = await submit(claim({}, { bytes: PDF, name: 'proof.png' }))
    expect(serialized(renamed)).toContain('training.external.proofType')
    const missing = await submit(claim({}, null))
    expect(serialized(missing)).toContain('training.external.proofMissing')
    const huge = await submit(claim({}, { bytes: new Uint8Array(5_000_001).fill(0x25), name: 'big.pdf' }))
    expect(serialized(huge)).toContain('training.external.proofTooLarge')
    const future = await submit(claim({ endDate: `${YEAR + 1}-12-31` }))
    expect(serialized(future)).toContain('training.external.endInFuture')
    expect((await submit(claim({ title: '长'.repeat(30_000) }))).status).toBe(400)
    const bothWrong = await submit(claim({ title: '' }, null))
    expect(serialized(bothWrong)).toContain('training.external.proofMissing')
    expect(serialized(bothWrong)).toContain('validation.required')
    expect(await testDb().selectFrom('training_records').select('id').where('source', '=', 'external').execute()).toHaveLength(1)
    // Only a mediator claims, for themself.
    expect((await submit(claim(), world.users.hdManager.cookie)).status).toBe(403)
  })

  it('serves the proof only to the claimant and reviewers in scope, typed by its bytes', async () => {
    const get = (cookie: string) =>
      proofRoute
        .loader({
          request: makeRequest(`/training/external/${pendingId}/proof`, { cookie }),
          params: { recordId: pendingId },
          context: {},
        })
        .then(
          (r) => r,
          (e: unknown) => e as Response,
        )
    const own = await get(world.users.mediator.cookie)
    expect(own.status).toBe(200)
    expect(own.headers.get('Content-Type')).toBe('image/png')
    expect(own.headers.get('Content-Security-Policy')).toContain('sandbox')
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(PNG)
    expect((await get(world.users.hdManager.cookie)).status).toBe(200)
    expect((await get(world.users.cyStaff.cookie)).status).toBe(404)
    expect((await get(world.users.expert.cookie)).status).toBe(403)
    const viewed = await testDb()
      .selectFrom('audit_log')
      .select('user_id')
      .where('record_id', '=', pendingId)
      .where('action', '=', 'training.external_proof_viewed')
      .execute()
    expect(viewed.map((v) => v.user_id)).toEqual([world.users.hdManager.id])
    // The record's columns say which file and type; bytes that contradict them are never served.
    const setProof = (proof: { proof_key: string | null; proof_mime: string | null }) =>
      testDb().updateTable('training_records').set(proof).where('id', '=', pendingId).execute()
    await setProof({ proof_key: `training-proofs/${pendingId}.png`, proof_mime: 'application/pdf' })
    expect((await get(world.users.mediator.cookie)).status).toBe(404)
    await setProof({ proof_key: '../../etc/passwd', proof_mime: 'image/png' })
    expect((await get(world.users.mediator.cookie)).status).toBe(404)
    await setProof({ proof_key: `training-proofs/${pendingId}.png`, proof_mime: 'image/png' })
    expect((await get(world.users.mediator.cookie)).status).toBe(200)
  })

  it('lists the claim in the queue of the manager and bureau staff in scope only', async () => {
    const ids = async (cookie: string) => {
      const outcome = await call(queueRoute.loader, '/training/external', { cookie })
      return outcome.status === 200 ? (outcome.data as { pending: { id: string }[] }).pending.map((r) => r.id) : outcome.status
    }
    expect(await ids(world.users.hdManager.cookie)).toEqual([pendingId])
    expect(await ids(world.users.hdStaff.cookie)).toEqual([pendingId])
    expect(await ids(world.users.cyStaff.cookie)).toEqual([])
    expect(await ids(world.users.mediator.cookie)).toBe(403)
    const page = await call(recordRoute.loader, `/training/external/${pendingId}`, {
      cookie: world.users.hdManager.cookie,
      params: { recordId: pendingId },
    })
    expect(page.data).toMatchObject({
      can: { review: true, withdraw: false },
      record: { startDate: `${YEAR}-01-05`, proofType: 'png', version: 1, decision: null },
    })
    const own = await call(recordRoute.loader, `/training/external/${pendingId}`, {
      cookie: world.users.mediator.cookie,
      params: { recordId: pendingId },
    })
    expect(own.data).toMatchObject({ can: { review: false, withdraw: true } })
  })

  it('refuses decisions out of scope, without a reason or without the loaded version', async () => {
    expect((await decide(pendingId, world.users.cyStaff.cookie, { intent: 'approve' })).status).toBe(404)
    expect((await decide(pendingId, world.users.mediator.cookie, { intent: 'approve' })).status).toBe(403)
    const noReason = await decide(pendingId, world.users.hdManager.cookie, { intent: 'reject', reason: ' ' })
    expect(noReason.status).toBe(400)
    expect((await decide(pendingId, world.users.hdManager.cookie, { intent: 'approve', version: '' })).status).toBe(400)
    // A version the record never had (a forged or mangled form) decides nothing.
    const forged = await decide(pendingId, world.users.hdManager.cookie, { intent: 'approve', version: '7' })
    expect(forged.status).toBe(409)
    expect(await rowOf(pendingId)).toMatchObject({ status: 'pending', version: 1, reviewed_by: null })
  })

  it('records the first decision on the record; a second reviewer who loaded the same version is told, nothing overwritten', async () => {
    // Both reviewers loaded the record at version 1.
    const rejected = await decide(pendingId, world.users.hdManager.cookie, {
      intent: 'reject',
      version: '1',
      reason: '证明材料不清晰，请补充结业证书',
    })
    expect(rejected.status).toBe(302)
    const decided = await rowOf(pendingId)
    expect(decided).toMatchObject({
      status: 'rejected',
      version: 2,
      reviewed_by: world.users.hdManager.id,
      review_reason: '证明材料不清晰，请补充结业证书',
    })
    expect(decided?.reviewed_at).toBeTruthy()
    const late = await decide(pendingId, world.users.hdStaff.cookie, { intent: 'approve', version: '1' })
    expect(late.status).toBe(409)
    expect(serialized(late)).toContain('training.external.alreadyDecided')
    const lateReject = await decide(pendingId, world.users.hdStaff.cookie, { intent: 'reject', version: '1', reason: '另一位审核人的理由' })
    expect(lateReject.status).toBe(409)
    // The reviewer's reason is kept in the reply, not written anywhere.
    expect(serialized(lateReject)).toContain('另一位审核人的理由')
    expect(await rowOf(pendingId)).toEqual(decided)
    const decisions = await testDb()
      .selectFrom('audit_log')
      .select('action')
      .where('record_id', '=', pendingId)
      .where('action', 'in', ['training.external_approved', 'training.external_rejected'])
      .execute()
    expect(decisions.map((a) => a.action)).toEqual(['training.external_rejected'])
    const manager = await testDb()
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', world.users.hdManager.id)
      .executeTakeFirstOrThrow()
    const shown = await call(recordRoute.loader, `/training/external/${pendingId}`, {
      cookie: world.users.mediator.cookie,
      params: { recordId: pendingId },
    })
    expect(shown.data).toMatchObject({
      can: { review: false, withdraw: false },
      record: {
        status: 'rejected',
        version: 2,
        decision: { at: decided?.reviewed_at, by: manager.display_name, reason: '证明材料不清晰，请补充结业证书' },
      },
    })
    expect(await thisYearHours()).toBe(0)
    // A claimant who loaded the record before the decision cannot withdraw it after.
    const withdraw = await decide(pendingId, world.users.mediator.cookie, { intent: 'withdraw', version: '1' })
    expect(withdraw.status).toBe(409)
    expect(serialized(withdraw)).toContain('training.external.alreadyDecided')
    expect(await rowOf(pendingId)).toEqual(decided)
  })

  it('approved hours count in the archive and in compliance like any other record', async () => {
    const created = await submit(claim({ title: '医疗纠纷调解专题培训', kind: 'topic', hours: '6.5' }, { bytes: PDF, name: 'cert.pdf' }))
    const id = recordIdOf(created.location)
    const now = new Date().toISOString()
    await testDb()
      .insertInto('training_plans')
      .values({
        id: newId(),
        year: YEAR,
        scope_key: `org:${world.orgs.hdCommittee}`,
        region_code: HAIDIAN,
        org_id: world.orgs.hdCommittee,
        full_time_tenths: 400,
        part_time_tenths: 200,
        sector_tenths: 300,
        pre_service_months: 3,
        version: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    const before = await orgCompliance(testDb(), world.orgs.hdCommittee, YEAR, today)
    const earnedBefore = before?.mediators.find((m) => m.personId === world.people.hdMediator.id)?.earnedTenths
    expect((await decide(id, world.users.hdStaff.cookie, { intent: 'approve' })).location).toBe('/training/external')
    expect(await rowOf(id)).toMatchObject({
      status: 'approved',
      version: 2,
      reviewed_by: world.users.hdStaff.id,
      review_reason: null,
      start_date: `${YEAR}-01-05`,
      proof_mime: 'application/pdf',
    })
    expect(await thisYearHours()).toBe(6.5)
    const after = await orgCompliance(testDb(), world.orgs.hdCommittee, YEAR, today)
    expect(after?.mediators.find((m) => m.personId === world.people.hdMediator.id)?.earnedTenths).toBe((earnedBefore ?? 0) + 65)
    const actions = await testDb().selectFrom('audit_log').select('action').where('record_id', '=', id).orderBy('at').execute()
    expect(actions.map((a) => a.action)).toEqual(['training.external_submitted', 'training.external_approved'])
  })

  it('lets the claimant withdraw a pending claim, deleting its proof', async () => {
    const created = await submit(claim({ title: '撤回测试' }))
    const id = recordIdOf(created.location)
    expect(fs.existsSync(path.join(proofDirectory(), `${id}.png`))).toBe(true)
    // Someone else's claim cannot be withdrawn by a reviewer.
    await decide(id, world.users.hdManager.cookie, { intent: 'withdraw' })
    expect(await rowOf(id)).toBeDefined()
    // Only the version the claimant loaded withdraws it.
    expect((await decide(id, world.users.mediator.cookie, { intent: 'withdraw', version: '2' })).status).toBe(409)
    expect(await rowOf(id)).toBeDefined()
    const withdrawn = await decide(id, world.users.mediator.cookie, { intent: 'withdraw' })
    expect(withdrawn.location).toBe(`/training/archive/${world.people.hdMediator.id}`)
    expect(await rowOf(id)).toBeUndefined()
    expect(fs.existsSync(path.join(proofDirectory(), `${id}.png`))).toBe(false)
  })
})
