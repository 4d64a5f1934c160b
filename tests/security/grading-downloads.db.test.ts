/**
 * Downloads of grading files (security checklist 13, 22): an objection's attachment (filed by
 * anyone on the public notice, read by the association handling the round) and a grade
 * application's evidence file (the applicant, their org manager, the round's association, the
 * reviewers assigned to the application).
 *
 * Attacked: another association's administrator, reviewers on and off the panel, mediators, staff
 * without the permission, anonymous visitors, guessed and malformed ids, an objection asked for
 * under another round's id (including the attacker's own round, whose check passes), an
 * attachment without a file, and a stored file whose bytes were swapped. The convention of
 * app/modules/auth/authz.server.ts (ADR 011): without the permission 403, with the permission but
 * not for this record 404 as if it did not exist, logged as `authz.out_of_scope`; anonymous to the
 * sign-in page. Legitimate viewers get the bytes as an attachment, never sniffed, never cached.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { CLIENT_ADDRESS_HEADER } from '#app/lib/request.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { attachmentDirectory } from '#app/modules/grading/attachments.server.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { objectionDirectory } from '#app/modules/grading/objections.server.ts'
import { addDays } from '#app/modules/grading/rounds.ts'
import { loader as evidenceLoader } from '#app/routes/_app.grading.attachments.$attachmentId.tsx'
import { loader as objectionAttachmentLoader } from '#app/routes/_app.grading.rounds.$roundId_.objections.$objectionId_.attachment.tsx'
import { action as objectAction } from '#app/routes/notice.$roundId_.object.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createOrganisation, createUser } from '#tests/fixtures/factories.ts'
import { type ReviewRoundFixture, createReviewRound } from '#tests/fixtures/grading-review.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { CHAOYANG, HAIDIAN, type Outcome, type World, buildWorld, call, cookieFor } from './world.ts'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiaojie-grading-downloads-'))
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 7, 7, 7])
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const HTML = new TextEncoder().encode('<!doctype html><script>alert(document.cookie)</script>')
const today = todayInChina()

let world: World
let hdRound: ReviewRoundFixture
/** A second round of the same association: its id must not open the first round's objections. */
let hdOtherRoundId: string
/** A round of the Chaoyang association: its administrator passes the round check for this one. */
let cyRoundId: string
let objectionId: string
let objectionWithoutFileId: string
let objectionOfOtherRoundId: string
let evidenceId: string
const cookies = {} as Record<'cyAssoc' | 'offPanelReviewer' | 'otherMediator' | 'applicant', string>

/** A round of `associationOrgId` with its own rules, in notice (objections can be filed). */
async function insertRound(associationOrgId: string, createdBy: string): Promise<string> {
  const now = new Date().toISOString()
  const configId = newId()
  await testDb()
    .insertInto('grading_configs')
    .values({
      id: configId,
      association_org_id: associationOrgId,
      version_no: 900 + Math.floor(Math.random() * 90),
      config: JSON.stringify(DEFAULT_GRADING_CONFIG),
      note: null,
      created_by: createdBy,
      created_at: now,
    })
    .execute()
  const id = newId()
  await testDb()
    .insertInto('grading_rounds')
    .values({
      id,
      association_org_id: associationOrgId,
      config_id: configId,
      title: `下载攻击测试 ${id.slice(-4)}`,
      status: 'notice',
      grade_codes: JSON.stringify(['4']),
      quotas: '{}',
      applications_open_on: addDays(today, -60),
      applications_close_on: addDays(today, -40),
      notice_start_on: today,
      notice_end_on: addDays(today, 5),
      committee: '[]',
      created_by: createdBy,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

/** Files an objection through the public form, from its own client address (the form is throttled per address). */
async function fileObjection(roundId: string, address: string, attachment?: { bytes: Uint8Array; name: string }): Promise<string> {
  const form = new FormData()
  form.append('filerName', '王举报')
  form.append('contact', '13912345678')
  form.append('grounds', '该调解员去年调解的一起纠纷后来转为刑事案件，不符合基本条件。')
  form.append('submissionKey', newId())
  if (attachment) form.append('attachment', new File([new Uint8Array(attachment.bytes)], attachment.name))
  const base = makeRequest(`/notice/${roundId}/object`, { form })
  const headers = new Headers(base.headers)
  headers.set(CLIENT_ADDRESS_HEADER, address)
  const request = new Request(base.url, { method: 'POST', headers, body: await base.arrayBuffer() })
  try {
    await objectAction({ request, params: { roundId }, context: {} })
  } catch (error) {
    if (!(error instanceof Response)) throw error
  }
  const row = await testDb()
    .selectFrom('grading_objections')
    .select('id')
    .where('round_id', '=', roundId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return row.id
}

function objectionParams(roundId: string, id: string) {
  return { path: `/grading/rounds/${roundId}/objections/${id}/attachment`, params: { roundId, objectionId: id } }
}

async function getObjectionAttachment(roundId: string, id: string, cookie?: string): Promise<Outcome> {
  const { path: p, params } = objectionParams(roundId, id)
  return call(objectionAttachmentLoader, p, { params, cookie })
}

async function getEvidence(id: string, cookie?: string): Promise<Outcome> {
  return call(evidenceLoader, `/grading/attachments/${id}`, { params: { attachmentId: id }, cookie })
}

/** The response a legitimate viewer gets, read whole. */
async function download(handler: unknown, urlPath: string, params: Record<string, string>, cookie: string) {
  const response = (await (handler as (args: unknown) => Promise<Response>)({
    request: makeRequest(urlPath, { cookie }),
    params,
    context: {},
  })) as Response
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

function expectSafeDownloadHeaders(response: Response, mime: string, name: RegExp) {
  expect(response.status).toBe(200)
  expect(response.headers.get('Content-Type')).toBe(mime)
  const disposition = response.headers.get('Content-Disposition') ?? ''
  expect(disposition).toMatch(/^attachment; filename="[^"\\\r\n]*"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+^`|-]+$/)
  expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toMatch(name)
  expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
  expect(response.headers.get('Cache-Control')).toContain('no-store')
  expect(response.headers.get('Content-Security-Policy')).toContain('sandbox')
}

async function outOfScopeAudits(userId: string): Promise<number> {
  const row = await testDb()
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('action', '=', 'authz.out_of_scope')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

beforeAll(async () => {
  process.env.TIAOJIE_UPLOAD_DIR = root
  const db = testDb()
  world = await buildWorld(db)
  hdRound = await createReviewRound(db, world, { status: 'notice', reviewers: 2 })
  await db
    .updateTable('grading_rounds')
    .set({ notice_start_on: today, notice_end_on: addDays(today, 5) })
    .where('id', '=', hdRound.roundId)
    .execute()
  hdOtherRoundId = await insertRound(world.orgs.hdAssociation, world.users.hdAssoc.id)

  const cyAssociation = await createOrganisation(db, { name: '朝阳区人民调解协会', kind: 'association', region_code: CHAOYANG })
  const cyAssoc = await createUser(db, { username: 't.cyassoc', roles: [{ role: 'association_admin', orgId: cyAssociation.id }] })
  cookies.cyAssoc = await cookieFor(cyAssoc.user.id)
  cyRoundId = await insertRound(cyAssociation.id, cyAssoc.user.id)
  const offPanel = await createUser(db, { username: 't.offpanel', roles: [{ role: 'reviewer', regionCode: HAIDIAN }] })
  cookies.offPanelReviewer = await cookieFor(offPanel.user.id)
  const otherMediator = await createUser(db, {
    username: 't.othermediator',
    roles: [{ role: 'mediator' }],
    personId: world.people.hdOther.id,
  })
  cookies.otherMediator = await cookieFor(otherMediator.user.id)
  const applicant = await createUser(db, { username: 't.applicant', roles: [{ role: 'mediator' }], personId: world.people.hdMediator2.id })
  cookies.applicant = await cookieFor(applicant.user.id)

  objectionId = await fileObjection(hdRound.roundId, '10.9.0.1', { bytes: PNG, name: '../..\\证据 照片.png' })
  objectionWithoutFileId = await fileObjection(hdRound.roundId, '10.9.0.2')
  objectionOfOtherRoundId = await fileObjection(hdOtherRoundId, '10.9.0.3', { bytes: PDF, name: 'other.pdf' })

  // An evidence file of hdMediator2's application, assigned to the first panel reviewer.
  evidenceId = newId()
  fs.mkdirSync(attachmentDirectory(), { recursive: true })
  fs.writeFileSync(path.join(attachmentDirectory(), `${evidenceId}.pdf`), PDF)
  const now = new Date().toISOString()
  await db
    .insertInto('grading_attachments')
    .values({
      id: evidenceId,
      application_id: hdRound.apps.hdMediator2,
      person_id: world.people.hdMediator2.id,
      file_name: '张某调解协议书.pdf',
      mime: 'application/pdf',
      size_bytes: PDF.length,
      sha256: 'not-checked-here',
      storage_key: `${evidenceId}.pdf`,
      uploaded_by: applicant.user.id,
      created_at: now,
    })
    .execute()
  await db
    .insertInto('grading_assignments')
    .values({
      id: newId(),
      application_id: hdRound.apps.hdMediator2,
      round_id: hdRound.roundId,
      reviewer_user_id: hdRound.reviewers[0]!.id,
      reason: 'initial',
      status: 'assigned',
      scores: null,
      total: null,
      assigned_at: now,
      submitted_at: null,
    })
    .execute()
})

afterAll(() => {
  Reflect.deleteProperty(process.env, 'TIAOJIE_UPLOAD_DIR')
  fs.rmSync(root, { recursive: true, force: true })
})

describe(`objection attachment downloads (${testDialect()})`, () => {
  it('go to the association handling the round and to the system administrator, as a safe attachment', async () => {
    const { path: p, params } = objectionParams(hdRound.roundId, objectionId)
    for (const cookie of [world.users.hdAssoc.cookie, world.users.admin.cookie]) {
      const { response, bytes } = await download(objectionAttachmentLoader, p, params, cookie)
      expectSafeDownloadHeaders(response, 'image/png', /^证据 照片\.png$/)
      expect(bytes).toEqual(PNG)
    }
    const downloads = await testDb()
      .selectFrom('audit_log')
      .select('user_id')
      .where('action', '=', 'grading.objection_attachment_downloaded')
      .where('record_id', '=', objectionId)
      .execute()
    expect(downloads.map((d) => d.user_id).sort()).toEqual([world.users.admin.id, world.users.hdAssoc.id].sort())
  })

  it("answer 404 to another association's administrator, and log the attempt", async () => {
    const cyAssocId = (await testDb().selectFrom('users').select('id').where('username', '=', 't.cyassoc').executeTakeFirstOrThrow()).id
    const before = await outOfScopeAudits(cyAssocId)
    const outcome = await getObjectionAttachment(hdRound.roundId, objectionId, cookies.cyAssoc)
    expect(outcome.status).toBe(404)
    expect(outcome.data).toBeNull()
    expect(await outOfScopeAudits(cyAssocId)).toBe(before + 1)
  })

  it("answer 404 to an objection asked for under another round's id, the attacker's own round included, and log it", async () => {
    const cyAssocId = (await testDb().selectFrom('users').select('id').where('username', '=', 't.cyassoc').executeTakeFirstOrThrow()).id
    // The Chaoyang administrator may open their own round: only the objection's round can stop them.
    const before = await outOfScopeAudits(cyAssocId)
    const own = await getObjectionAttachment(cyRoundId, objectionId, cookies.cyAssoc)
    expect(own.status).toBe(404)
    expect(await outOfScopeAudits(cyAssocId)).toBe(before + 1)
    // The same association's other round does not open this round's objection, nor the reverse.
    expect((await getObjectionAttachment(hdOtherRoundId, objectionId, world.users.hdAssoc.cookie)).status).toBe(404)
    expect((await getObjectionAttachment(hdRound.roundId, objectionOfOtherRoundId, world.users.hdAssoc.cookie)).status).toBe(404)
    // …while each, under its own round, is there (so the 404s above are about the round).
    const { path: p, params } = objectionParams(hdOtherRoundId, objectionOfOtherRoundId)
    const { response } = await download(objectionAttachmentLoader, p, params, world.users.hdAssoc.cookie)
    expectSafeDownloadHeaders(response, 'application/pdf', /^other\.pdf$/)
  })

  it('answer 403 to roles without the permission: reviewers on and off the panel, mediators, org managers, bureau staff', async () => {
    const panelReviewer = hdRound.reviewers[0]!.cookie
    for (const [who, cookie] of [
      ['a reviewer on the panel', panelReviewer],
      ['a reviewer not on the panel', cookies.offPanelReviewer],
      ['the mediator', world.users.mediator.cookie],
      ['another mediator', cookies.otherMediator],
      ['the org manager', world.users.hdManager.cookie],
      ['district bureau staff', world.users.hdStaff.cookie],
      ['an expert', world.users.expert.cookie],
      ['a user without grants', world.users.noGrants.cookie],
    ] as const) {
      const outcome = await getObjectionAttachment(hdRound.roundId, objectionId, cookie)
      expect(outcome.status, who).toBe(403)
      expect(outcome.thrown, who).toBe(true)
      expect(outcome.data, who).toBeNull()
    }
  })

  it('send anonymous visitors to sign in', async () => {
    const outcome = await getObjectionAttachment(hdRound.roundId, objectionId)
    expect(outcome.status).toBe(302)
    expect(outcome.location).toMatch(/^\/login/)
  })

  it('answer 404 to guessed and malformed ids, an objection without a file, and a file whose bytes were swapped', async () => {
    const assoc = world.users.hdAssoc.cookie
    for (const [roundId, id] of [
      [hdRound.roundId, newId()],
      [newId(), objectionId],
      [hdRound.roundId, '../../../../etc/passwd'],
      [hdRound.roundId, `${objectionId}%00`],
      [hdRound.roundId, objectionId.toLowerCase()],
      ["' or '1'='1", objectionId],
      [hdRound.roundId, objectionWithoutFileId],
    ] as const) {
      const outcome = await getObjectionAttachment(roundId, id, assoc)
      expect(outcome.status, `${roundId} / ${id}`).toBe(404)
      expect(outcome.data).toBeNull()
    }
    // Bytes replaced on disk by something else (say, HTML): the download refuses what the row did not store.
    const row = await testDb()
      .selectFrom('grading_objections')
      .select('attachment_key')
      .where('id', '=', objectionOfOtherRoundId)
      .executeTakeFirstOrThrow()
    fs.writeFileSync(path.join(objectionDirectory(), path.basename(row.attachment_key!)), HTML)
    expect((await getObjectionAttachment(hdOtherRoundId, objectionOfOtherRoundId, assoc)).status).toBe(404)
  })
})

describe(`grade application evidence downloads (${testDialect()})`, () => {
  it('go to the applicant, the association and the assigned reviewer (under a neutral name), as a safe attachment', async () => {
    const p = `/grading/attachments/${evidenceId}`
    const params = { attachmentId: evidenceId }
    for (const cookie of [cookies.applicant, world.users.hdAssoc.cookie, world.users.hdManager.cookie]) {
      const { response, bytes } = await download(evidenceLoader, p, params, cookie)
      expectSafeDownloadHeaders(response, 'application/pdf', /^张某调解协议书\.pdf$/)
      expect(bytes).toEqual(PDF)
    }
    // Reviewers score blind: the original name may carry the applicant's name.
    const { response } = await download(evidenceLoader, p, params, hdRound.reviewers[0]!.cookie)
    expectSafeDownloadHeaders(response, 'application/pdf', /^附件\d+\.pdf$/)
    expect(response.headers.get('Content-Disposition')).not.toContain(encodeURIComponent('张某'))
  })

  it("answer 404 to another association's administrator, reviewers not assigned, other mediators and guessed ids, and log it", async () => {
    const offPanelId = (await testDb().selectFrom('users').select('id').where('username', '=', 't.offpanel').executeTakeFirstOrThrow()).id
    const before = await outOfScopeAudits(offPanelId)
    for (const [who, cookie] of [
      ["another association's administrator", cookies.cyAssoc],
      ['a reviewer on the panel but not assigned', hdRound.reviewers[1]!.cookie],
      ['a reviewer not on the panel', cookies.offPanelReviewer],
      ['another mediator', cookies.otherMediator],
      ['Chaoyang staff', world.users.cyStaff.cookie],
    ] as const) {
      const outcome = await getEvidence(evidenceId, cookie)
      expect(outcome.status, who).toBe(404)
      expect(outcome.data, who).toBeNull()
    }
    expect(await outOfScopeAudits(offPanelId)).toBe(before + 1)
    for (const id of [newId(), '../grading/x.pdf', evidenceId.toLowerCase()]) {
      expect((await getEvidence(id, world.users.hdAssoc.cookie)).status, id).toBe(404)
    }
    const anonymous = await getEvidence(evidenceId)
    expect(anonymous.status).toBe(302)
    expect(anonymous.location).toMatch(/^\/login/)
  })

  it('stop a reviewer whose assignment was removed', async () => {
    await testDb()
      .updateTable('grading_assignments')
      .set({ status: 'removed' })
      .where('application_id', '=', hdRound.apps.hdMediator2)
      .where('reviewer_user_id', '=', hdRound.reviewers[0]!.id)
      .execute()
    expect((await getEvidence(evidenceId, hdRound.reviewers[0]!.cookie)).status).toBe(404)
  })
})
