/**
 * 公示, objections, finalisation, certificates, results export and dynamic management, through the
 * real loaders and actions against a real database. Earlier round states are set up in the
 * database directly (rounds, applications with scores), since those belong to other pages.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_ADDRESS_HEADER } from '#app/lib/request.server.ts'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import * as certificatePage from '#app/routes/_app.grading.certificates.$number.tsx'
import * as changePage from '#app/routes/_app.grading.grades.$gradeId.tsx'
import * as gradesPage from '#app/routes/_app.grading.grades._index.tsx'
import * as historyPage from '#app/routes/_app.grading.history.$personId.tsx'
import * as objectionPage from '#app/routes/_app.grading.rounds.$roundId_.objections.$objectionId.tsx'
import * as attachmentRoute from '#app/routes/_app.grading.rounds.$roundId_.objections.$objectionId_.attachment.tsx'
import * as resultsPage from '#app/routes/_app.grading.rounds.$roundId_.results.tsx'
import * as resultsExport from '#app/routes/_app.grading.rounds.$roundId_.results[.xlsx].tsx'
import * as verifyPage from '#app/routes/grade-certificates.$number.tsx'
import * as publicNotice from '#app/routes/notice.$roundId.tsx'
import * as objectForm from '#app/routes/notice.$roundId_.object.tsx'
import * as changeNotice from '#app/routes/notice.grade-change.$gradeId.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { buildWorld, call, serialized, type World } from '#tests/security/world.ts'
import { DEFAULT_GRADING_CONFIG, type GradingConfig } from './config.ts'
import { finaliseRound, OpenObjectionsError } from './finalise.server.ts'
import { currentGrade } from './history.server.ts'
import { openObjectionCount } from './objections.server.ts'
import { addDays } from './rounds.ts'

let world: World
let uploadDir: string
const today = todayInChina()
const PNG: Uint8Array<ArrayBuffer> = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])

/** Rules with grade 1 recommended upward and the others rated (the default ladder). */
const config: GradingConfig = DEFAULT_GRADING_CONFIG

async function makeConfig(): Promise<string> {
  const existing = await testDb()
    .selectFrom('grading_configs')
    .select('id')
    .where('association_org_id', '=', world.orgs.hdAssociation)
    .executeTakeFirst()
  if (existing) return existing.id
  const id = newId()
  await testDb()
    .insertInto('grading_configs')
    .values({
      id,
      association_org_id: world.orgs.hdAssociation,
      version_no: 1,
      config: JSON.stringify(config),
      note: null,
      created_by: world.users.hdAssoc.id,
      created_at: new Date().toISOString(),
    })
    .execute()
  return id
}

async function makeRound(status: 'draft' | 'notice' | 'resolved' | 'finalised', notice: [string, string] | null) {
  const id = newId()
  await testDb()
    .insertInto('grading_rounds')
    .values({
      id,
      association_org_id: world.orgs.hdAssociation,
      config_id: await makeConfig(),
      title: `测试评定 ${id.slice(-4)}`,
      status,
      grade_codes: JSON.stringify(['1', '3', '4']),
      quotas: '{}',
      applications_open_on: addDays(today, -60),
      applications_close_on: addDays(today, -40),
      notice_start_on: notice?.[0] ?? null,
      notice_end_on: notice?.[1] ?? null,
      committee: '[]',
      created_by: world.users.hdAssoc.id,
      version: 1,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    })
    .execute()
  return id
}

async function makeApplication(
  roundId: string,
  personId: string,
  gradeCode: string,
  status: 'proposed' | 'not_awarded' | 'eligible',
  score: number,
  rank: number | null,
) {
  const id = newId()
  const now = new Date().toISOString()
  await testDb()
    .insertInto('grading_applications')
    .values({
      id,
      round_id: roundId,
      person_id: personId,
      org_id: world.orgs.hdCommittee,
      grade_code: gradeCode,
      status,
      blind_code: `G-${id.slice(-6)}`,
      applied_by: world.users.mediator.id,
      evidence: '{}',
      eligibility: '{}',
      eligible_auto: 1,
      override_verdict: null,
      override_reason: null,
      override_by: null,
      final_score: score,
      rank_in_grade: rank,
      outcome_reason: status === 'not_awarded' ? '超出名额' : null,
      submitted_at: now,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

function objectionForm(roundId: string, values: Record<string, string>, attachment?: { bytes: Uint8Array; name: string }) {
  const form = new FormData()
  for (const [k, v] of Object.entries(values)) form.append(k, v)
  if (attachment)
    form.append('attachment', new File([new Uint8Array(attachment.bytes)], attachment.name, { type: 'application/octet-stream' }))
  return form
}

/** A POST of the public form from a given client address (the server sets that header). */
async function fileFrom(address: string, roundId: string, form: FormData) {
  const base = makeRequest(`/notice/${roundId}/object`, { form })
  const headers = new Headers(base.headers)
  headers.set(CLIENT_ADDRESS_HEADER, address)
  const request = new Request(base.url, { method: 'POST', headers, body: await base.arrayBuffer() })
  try {
    const result = await objectForm.action({ request, params: { roundId }, context: {} })
    if (result instanceof Response) return { status: result.status, location: result.headers.get('Location'), data: null }
    const r = result as unknown as { init: { status: number } | null; data: unknown }
    return { status: r.init?.status ?? 200, location: null, data: r.data }
  } catch (error) {
    if (error instanceof Response) return { status: error.status, location: null, data: null }
    throw error
  }
}

const validObjection = (extra: Record<string, string> = {}) => ({
  filerName: '王举报',
  contact: '13912345678',
  grounds: '该调解员去年调解的一起纠纷后来转为刑事案件，不符合基本条件。',
  submissionKey: newId(),
  ...extra,
})

beforeAll(async () => {
  uploadDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tj-objections-'))
  process.env.TIAOJIE_UPLOAD_DIR = uploadDir
  world = await buildWorld(testDb())
})

afterAll(async () => {
  await fs.rm(uploadDir, { recursive: true, force: true })
})

describe(`public notice and objections (${testDialect()})`, () => {
  it('shows a round in notice to anyone: names, organisations, grades, period; never ID numbers or scores', async () => {
    const roundId = await makeRound('notice', [addDays(today, -1), addDays(today, 5)])
    await makeApplication(roundId, world.people.hdMediator.id, '4', 'proposed', 8725, 1)
    await makeApplication(roundId, world.people.hdMediator2.id, '4', 'not_awarded', 5400, 2)
    const page = await call(publicNotice.loader, `/notice/${roundId}`, { params: { roundId } })
    expect(page.status).toBe(200)
    const text = serialized(page)
    expect(text).toContain(world.people.hdMediator.name)
    expect(text).toContain('海淀测试调委会')
    expect(text).toContain('四级人民调解员')
    expect(text).not.toContain(world.people.hdMediator2.name) // not on the list
    expect(text).not.toContain('8725')
    expect(text).not.toContain('87.25')
    expect(text).not.toContain(world.people.hdMediator.idNumber!)
    expect(text).not.toContain(world.people.hdMediator.idNumber!.slice(-4))
    expect((page.data as { notice: { open: boolean } }).notice.open).toBe(true)
  })

  it('answers 404 for a round that has not reached notice', async () => {
    const roundId = await makeRound('draft', null)
    expect((await call(publicNotice.loader, `/notice/${roundId}`, { params: { roundId } })).status).toBe(404)
    expect((await call(objectForm.loader, `/notice/${roundId}/object`, { params: { roundId } })).status).toBe(404)
  })

  it('files an objection with an attachment: contact encrypted at rest and masked, one record per submission key', async () => {
    const roundId = await makeRound('notice', [today, addDays(today, 5)])
    const applicationId = await makeApplication(roundId, world.people.hdMediator.id, '4', 'proposed', 8000, 1)
    const values = validObjection({ applicationId, contact: '139 1234 5678' })
    const first = await fileFrom('10.0.0.1', roundId, objectionForm(roundId, values, { bytes: PNG, name: 'proof.png' }))
    expect(first.status).toBe(302)
    const again = await fileFrom('10.0.0.1', roundId, objectionForm(roundId, values, { bytes: PNG, name: 'proof.png' }))
    expect(again.status).toBe(302)
    expect(again.location).toBe(first.location)
    const rows = await testDb().selectFrom('grading_objections').selectAll().where('round_id', '=', roundId).execute()
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    expect(row.application_id).toBe(applicationId)
    expect(row.status).toBe('open')
    expect(row.filer_contact_masked).toBe('139****5678')
    expect(row.filer_contact_enc).not.toContain('13912345678')
    expect(JSON.stringify(row)).not.toContain('13912345678')
    expect(row.attachment_mime).toBe('image/png')
    expect(row.attachment_key).toMatch(/^grading-objections\/[0-9A-Z]{26}\.png$/)
    // Stored outside public/, under the upload directory; one file for the one record.
    expect(await fs.readdir(path.join(uploadDir, 'grading-objections'))).toEqual([path.basename(row.attachment_key!)])
    expect(await openObjectionCount(testDb(), roundId)).toBe(1)

    // The association downloads it through the access check; others do not.
    const params = { roundId, objectionId: row.id }
    const download = await attachmentRoute.loader({
      request: makeRequest(`/grading/rounds/${roundId}/objections/${row.id}/attachment`, { cookie: world.users.hdAssoc.cookie }),
      params,
      context: {},
    })
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG)
    expect(download.headers.get('Content-Disposition')).toContain('attachment')
    const denied = await call(attachmentRoute.loader, '/x', { cookie: world.users.hdManager.cookie, params })
    expect(denied.status).toBe(403)
    const anonymous = await call(attachmentRoute.loader, '/x', { params })
    expect(anonymous.status).toBe(302)
  })

  it('refuses a file whose bytes are not PDF, JPG or PNG, keeping what was typed', async () => {
    const roundId = await makeRound('notice', [today, addDays(today, 5)])
    const values = validObjection()
    const result = await fileFrom(
      '10.0.0.2',
      roundId,
      objectionForm(roundId, values, { bytes: new TextEncoder().encode('MZ not a pdf'), name: 'x.pdf' }),
    )
    expect(result.status).toBe(400)
    expect(JSON.stringify(result.data)).toContain('gradingNotice.object.type')
    expect(JSON.stringify(result.data)).toContain(values.grounds)
    expect(await testDb().selectFrom('grading_objections').select('id').where('round_id', '=', roundId).execute()).toHaveLength(0)
  })

  it('accepts objections only inside the notice period', async () => {
    const ended = await makeRound('notice', [addDays(today, -10), addDays(today, -1)])
    const result = await fileFrom('10.0.0.3', ended, objectionForm(ended, validObjection()))
    expect(result.status).toBe(400)
    expect(JSON.stringify(result.data)).toContain('gradingNotice.object.closed')
    const resolved = await makeRound('resolved', [today, addDays(today, 3)])
    expect((await fileFrom('10.0.0.3', resolved, objectionForm(resolved, validObjection()))).status).toBe(400)
    expect(await testDb().selectFrom('grading_objections').select('id').where('round_id', 'in', [ended, resolved]).execute()).toHaveLength(
      0,
    )
  })

  it('throttles per client address: the sixth objection within the hour is refused, another address still files', async () => {
    const roundId = await makeRound('notice', [today, addDays(today, 5)])
    for (let i = 0; i < 5; i++) expect((await fileFrom('10.9.9.9', roundId, objectionForm(roundId, validObjection()))).status).toBe(302)
    const sixth = await fileFrom('10.9.9.9', roundId, objectionForm(roundId, validObjection()))
    expect(sixth.status).toBe(429)
    expect(JSON.stringify(sixth.data)).toContain('gradingNotice.object.throttled')
    expect((await fileFrom('10.9.9.8', roundId, objectionForm(roundId, validObjection()))).status).toBe(302)
    expect(await openObjectionCount(testDb(), roundId)).toBe(6)
  })

  it('an upheld objection moves the result off the list with the reason; a stale decision changes nothing', async () => {
    const roundId = await makeRound('notice', [today, addDays(today, 5)])
    const applicationId = await makeApplication(roundId, world.people.hdMediator.id, '3', 'proposed', 8000, 1)
    await fileFrom('10.1.1.1', roundId, objectionForm(roundId, validObjection({ applicationId })))
    const objection = await testDb().selectFrom('grading_objections').selectAll().where('round_id', '=', roundId).executeTakeFirstOrThrow()
    const params = { roundId, objectionId: objection.id }
    const form = {
      decision: 'upheld',
      investigation: '经核查属实。',
      response: '异议成立，取消拟定级。',
      outcomeReason: '经核查存在民转刑情形',
      version: '1',
    }

    const noReason = await call(objectionPage.action, '/x', {
      cookie: world.users.hdAssoc.cookie,
      params,
      form: { ...form, outcomeReason: '' },
    })
    expect(noReason.status).toBe(400)
    expect(serialized(noReason)).toContain('gradingNotice.objections.reasonRequired')

    const otherAssociation = await call(objectionPage.action, '/x', { cookie: world.users.hdStaff.cookie, params, form })
    expect(otherAssociation.status).toBe(403)

    const done = await call(objectionPage.action, '/x', { cookie: world.users.hdAssoc.cookie, params, form })
    expect(done.status).toBe(302)
    const application = await testDb()
      .selectFrom('grading_applications')
      .selectAll()
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow()
    expect(application.status).toBe('not_awarded')
    expect(application.outcome_reason).toBe('经核查存在民转刑情形')
    const decided = await testDb().selectFrom('grading_objections').selectAll().where('id', '=', objection.id).executeTakeFirstOrThrow()
    expect(decided).toMatchObject({ status: 'upheld', response: '异议成立，取消拟定级。', decided_by: world.users.hdAssoc.id, version: 2 })
    expect(await openObjectionCount(testDb(), roundId)).toBe(0)

    const repeat = await call(objectionPage.action, '/x', {
      cookie: world.users.hdAssoc.cookie,
      params,
      form: { ...form, decision: 'dismissed' },
    })
    expect(repeat.status).toBe(409)
    const audit = await testDb().selectFrom('audit_log').select('action').where('record_id', '=', objection.id).execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['grading.objection_filed', 'grading.objection_decided']))
  })

  it('a round-wide objection can be tied to a wrongly excluded result, which goes back on the list', async () => {
    const roundId = await makeRound('notice', [today, addDays(today, 5)])
    const excluded = await makeApplication(roundId, world.people.hdOther.id, '4', 'not_awarded', 7000, 3)
    await fileFrom('10.1.1.2', roundId, objectionForm(roundId, validObjection()))
    const objection = await testDb().selectFrom('grading_objections').selectAll().where('round_id', '=', roundId).executeTakeFirstOrThrow()
    expect(objection.application_id).toBeNull()
    const done = await call(objectionPage.action, '/x', {
      cookie: world.users.hdAssoc.cookie,
      params: { roundId, objectionId: objection.id },
      form: {
        decision: 'upheld',
        investigation: '案件统计录入错误。',
        response: '予以纠正。',
        outcomeReason: '统计数据录入错误，纠正后符合条件',
        applicationId: excluded,
        version: '1',
      },
    })
    expect(done.status).toBe(302)
    const application = await testDb()
      .selectFrom('grading_applications')
      .select(['status', 'outcome_reason'])
      .where('id', '=', excluded)
      .executeTakeFirstOrThrow()
    expect(application).toEqual({ status: 'proposed', outcome_reason: '统计数据录入错误，纠正后符合条件' })
  })
})

describe(`finalisation, certificates and results (${testDialect()})`, () => {
  let roundId: string
  let rated: string
  let recommended: string

  beforeAll(async () => {
    roundId = await makeRound('resolved', [addDays(today, -10), addDays(today, -3)])
    // hdMediator already holds 四级 from an earlier round: it is superseded by 三级.
    await testDb()
      .insertInto('mediator_grades')
      .values({
        id: newId(),
        person_id: world.people.hdMediator.id,
        association_org_id: world.orgs.hdAssociation,
        grade_code: '4',
        grade_name: '四级人民调解员',
        grade_rank: 4,
        status: 'current',
        valid_from: addDays(today, -400),
        valid_until: addDays(today, 330),
        source: 'import',
        round_id: null,
        application_id: null,
        change_reason: null,
        notice_start_on: null,
        notice_end_on: null,
        changed_by: null,
        changed_at: null,
        version: 1,
        created_at: new Date(Date.now() - 1000).toISOString(),
      })
      .execute()
    rated = await makeApplication(roundId, world.people.hdMediator.id, '3', 'proposed', 9125, 1)
    recommended = await makeApplication(roundId, world.people.hdMediator2.id, '1', 'proposed', 9500, 1)
    await makeApplication(roundId, world.people.hdOther.id, '3', 'not_awarded', 5550, 2)
  })

  it('refuses to finalise while an objection is open', async () => {
    const openRound = await makeRound('resolved', [addDays(today, -10), addDays(today, -3)])
    await makeApplication(openRound, world.people.cyMediator.id, '4', 'proposed', 8000, 1)
    await testDb()
      .insertInto('grading_objections')
      .values({
        id: newId(),
        round_id: openRound,
        application_id: null,
        filer_name: '张三',
        filer_contact_enc: 'x',
        filer_contact_masked: '139****0000',
        grounds: '测试异议理由足够长',
        attachment_key: null,
        attachment_name: null,
        attachment_mime: null,
        status: 'open',
        investigation: null,
        response: null,
        decided_by: null,
        decided_at: null,
        version: 1,
        created_at: new Date().toISOString(),
      })
      .execute()
    const round = await testDb().selectFrom('grading_rounds').selectAll().where('id', '=', openRound).executeTakeFirstOrThrow()
    await expect(
      testDb()
        .transaction()
        .execute((trx) => finaliseRound(trx, round, config, { userId: world.users.hdAssoc.id }, today)),
    ).rejects.toBeInstanceOf(OpenObjectionsError)
    expect(await testDb().selectFrom('mediator_grades').select('id').where('round_id', '=', openRound).execute()).toHaveLength(0)
  })

  it('awards rated grades with history and a certificate, marks recommended ones, supersedes the previous grade', async () => {
    const round = await testDb().selectFrom('grading_rounds').selectAll().where('id', '=', roundId).executeTakeFirstOrThrow()
    const result = await testDb()
      .transaction()
      .execute((trx) => finaliseRound(trx, round, config, { userId: world.users.hdAssoc.id }, today))
    expect(result).toEqual({ awarded: 1, recommended: 1, certificates: 1 })
    const statuses = await testDb().selectFrom('grading_applications').select(['id', 'status']).where('round_id', '=', roundId).execute()
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toMatchObject({ [rated]: 'awarded', [recommended]: 'recommended' })

    const grades = await testDb()
      .selectFrom('mediator_grades')
      .selectAll()
      .where('person_id', '=', world.people.hdMediator.id)
      .orderBy('created_at')
      .execute()
    expect(grades.map((g) => [g.grade_code, g.status])).toEqual([
      ['4', 'superseded'],
      ['3', 'current'],
    ])
    const awarded = grades[1]!
    expect(awarded).toMatchObject({
      valid_from: today,
      round_id: roundId,
      application_id: rated,
      source: 'round',
      grade_name: '三级人民调解员',
    })
    expect(awarded.valid_until).toBe(`${Number(today.slice(0, 4)) + config.validityYears}${today.slice(4)}`.replace(/-02-29$/, '-02-28'))
    expect(
      await testDb().selectFrom('mediator_grades').select('id').where('person_id', '=', world.people.hdMediator2.id).execute(),
    ).toHaveLength(0)

    const certificate = await testDb()
      .selectFrom('grade_certificates')
      .selectAll()
      .where('mediator_grade_id', '=', awarded.id)
      .executeTakeFirstOrThrow()
    expect(certificate.number).toMatch(new RegExp(`^DJ-${today.slice(0, 4)}-[0-9A-HJKMNP-TV-Z]{8}$`))
    expect(certificate).toMatchObject({ status: 'valid', association_name: '海淀区人民调解协会', valid_until: awarded.valid_until })

    const current = await currentGrade(testDb(), world.people.hdMediator.id)
    expect(current).toMatchObject({ code: '3', name: '三级人民调解员', validUntil: awarded.valid_until })

    // Public verification: standing, grade, name, association, validity; nothing else.
    const verify = await call(verifyPage.loader, `/grade-certificates/${certificate.number}`, { params: { number: certificate.number } })
    expect(verify.status).toBe(200)
    expect(verify.data).toMatchObject({
      certificate: {
        standing: 'valid',
        gradeName: '三级人民调解员',
        holderName: world.people.hdMediator.name,
        associationName: '海淀区人民调解协会',
      },
    })
    expect(serialized(verify)).not.toContain(world.people.hdMediator.id)
    expect(serialized(verify)).not.toContain(world.people.hdMediator.idNumber!.slice(-4))
    expect((await call(verifyPage.loader, '/grade-certificates/DJ-2026-00000000', { params: { number: 'DJ-2026-00000000' } })).status).toBe(
      404,
    )

    // The printable page: the holder and their org manager yes; another committee's mediator's manager no.
    const params = { number: certificate.number }
    expect((await call(certificatePage.loader, '/x', { cookie: world.users.mediator.cookie, params })).status).toBe(200)
    expect((await call(certificatePage.loader, '/x', { cookie: world.users.hdManager.cookie, params })).status).toBe(200)
    expect((await call(certificatePage.loader, '/x', { cookie: world.users.hdAssoc.cookie, params })).status).toBe(200)
    expect((await call(certificatePage.loader, '/x', { cookie: world.users.cyStaff.cookie, params })).status).toBe(404)
    expect((await call(certificatePage.loader, '/x', { cookie: world.users.reviewer.cookie, params })).status).toBe(403)

    const awards = await testDb()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'grading.grade_awarded')
      .where('record_id', '=', awarded.id)
      .execute()
    expect(awards).toHaveLength(1)
  })

  it('issues unique certificate numbers', async () => {
    const numbers = await testDb().selectFrom('grade_certificates').select('number').execute()
    expect(new Set(numbers.map((n) => n.number)).size).toBe(numbers.length)
  })

  it('the public notice of a finalised round lists awarded and recommended results', async () => {
    await testDb().updateTable('grading_rounds').set({ status: 'finalised' }).where('id', '=', roundId).execute()
    const page = await call(publicNotice.loader, `/notice/${roundId}`, { params: { roundId } })
    const text = serialized(page)
    expect(text).toContain(world.people.hdMediator.name)
    expect(text).toContain(world.people.hdMediator2.name)
    expect(text).not.toContain(world.people.hdOther.name)
    expect(text).not.toContain('9125')
  })

  it('exports the results for 备案: title row, 序号, Chinese headers, masked ID numbers as text, audited', async () => {
    const page = await call(resultsPage.loader, '/x', { cookie: world.users.hdAssoc.cookie, params: { roundId } })
    expect(page.status).toBe(200)
    const response = await resultsExport.loader({
      request: makeRequest(`/grading/rounds/${roundId}/results.xlsx`, { cookie: world.users.hdAssoc.cookie }),
      params: { roundId },
      context: {},
    })
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await response.arrayBuffer())
    const sheet = book.worksheets[0]!
    const title = String(sheet.getCell('A1').value)
    expect(title).toContain('海淀区人民调解协会')
    expect(title).toContain('t.hdassoc')
    expect(sheet.getRow(3).values).toEqual([
      undefined,
      '序号',
      '申报等级',
      '名次',
      '姓名',
      '身份证号',
      '所在调解组织',
      '最终得分',
      '结果',
      '结果说明',
    ])
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1)
    const person = (p: { idNumber: string | null }) => `${p.idNumber!.slice(0, 6)}********${p.idNumber!.slice(-4)}`
    expect(row(4)).toEqual([
      1,
      '一级人民调解员',
      1,
      world.people.hdMediator2.name,
      person(world.people.hdMediator2),
      '海淀测试调委会',
      '95.00',
      '已推荐上报',
    ])
    expect(row(5)).toEqual([
      2,
      '三级人民调解员',
      1,
      world.people.hdMediator.name,
      person(world.people.hdMediator),
      '海淀测试调委会',
      '91.25',
      '已定级',
    ])
    expect(row(6)).toEqual([
      3,
      '三级人民调解员',
      2,
      world.people.hdOther.name,
      person(world.people.hdOther),
      '海淀测试调委会',
      '55.50',
      '未定级',
      '超出名额',
    ])
    expect(sheet.getCell('E4').numFmt).toBe('@')
    expect(sheet.rowCount).toBe(6)

    // Bureau staff with person:reveal in the region get full numbers.
    const full = await resultsExport.loader({
      request: makeRequest(`/grading/rounds/${roundId}/results.xlsx`, { cookie: world.users.hdStaff.cookie }),
      params: { roundId },
      context: {},
    })
    const fullBook = new ExcelJS.Workbook()
    await fullBook.xlsx.load(await full.arrayBuffer())
    expect(fullBook.worksheets[0]!.getCell('E5').value).toBe(world.people.hdMediator.idNumber!)
    const audits = await testDb()
      .selectFrom('audit_log')
      .select(['user_id', 'detail'])
      .where('action', '=', 'grading.results_exported')
      .where('record_id', '=', roundId)
      .execute()
    expect(audits.map((a) => a.user_id).sort()).toEqual([world.users.hdAssoc.id, world.users.hdStaff.id].sort())
    // Out of scope: 404 for Chaoyang staff; the mediator does not see the round's results.
    expect((await call(resultsExport.loader, '/x', { cookie: world.users.cyStaff.cookie, params: { roundId } })).status).toBe(404)
    expect((await call(resultsPage.loader, '/x', { cookie: world.users.mediator.cookie, params: { roundId } })).status).toBe(404)
  })
})

describe(`dynamic management (${testDialect()})`, () => {
  it('lists grades expiring soon, demotes with a notice and a new certificate, revokes the old one', async () => {
    const grade = await currentGrade(testDb(), world.people.hdMediator.id)
    expect(grade).not.toBeNull()
    // Bring the expiry inside the warning window.
    await testDb()
      .updateTable('mediator_grades')
      .set({ valid_until: addDays(today, 30) })
      .where('id', '=', grade!.gradeId)
      .execute()
    const list = await call(gradesPage.loader, '/grading/grades', { cookie: world.users.hdAssoc.cookie })
    expect((list.data as { expiring: { id: string }[] }).expiring.map((g) => g.id)).toContain(grade!.gradeId)
    expect((await call(gradesPage.loader, '/grading/grades', { cookie: world.users.hdManager.cookie })).status).toBe(403)

    const params = { gradeId: grade!.gradeId }
    const oldCertificate = await testDb()
      .selectFrom('grade_certificates')
      .select('number')
      .where('mediator_grade_id', '=', grade!.gradeId)
      .executeTakeFirstOrThrow()
    const form = { kind: 'demote', toGradeCode: '2', reason: '年度考核不合格', noticeStartOn: today, version: '1' }
    const higher = await call(changePage.action, '/x', { cookie: world.users.hdAssoc.cookie, params, form })
    expect(higher.status).toBe(400)
    expect(serialized(higher)).toContain('gradingNotice.change.notLower')

    const done = await call(changePage.action, '/x', { cookie: world.users.hdAssoc.cookie, params, form: { ...form, toGradeCode: '4' } })
    expect(done.status).toBe(302)
    const stale = await call(changePage.action, '/x', { cookie: world.users.hdAssoc.cookie, params, form: { ...form, kind: 'revoke' } })
    expect(stale.status).toBe(404) // no longer a current grade

    const rows = await testDb()
      .selectFrom('mediator_grades')
      .selectAll()
      .where('person_id', '=', world.people.hdMediator.id)
      .orderBy('created_at')
      .execute()
    const demoted = rows.find((r) => r.id === grade!.gradeId)!
    expect(demoted).toMatchObject({
      status: 'demoted',
      change_reason: '年度考核不合格',
      notice_start_on: today,
      changed_by: world.users.hdAssoc.id,
      version: 2,
    })
    expect(demoted.notice_end_on! >= today).toBe(true)
    const lower = rows.find((r) => r.source === 'demotion')!
    expect(lower).toMatchObject({ status: 'current', grade_code: '4', valid_until: addDays(today, 30) })
    const certificates = await testDb()
      .selectFrom('grade_certificates')
      .selectAll()
      .where('person_id', '=', world.people.hdMediator.id)
      .execute()
    expect(certificates.find((c) => c.number === oldCertificate.number)).toMatchObject({
      status: 'revoked',
      revoked_reason: '年度考核不合格',
    })
    expect(certificates.find((c) => c.mediator_grade_id === lower.id)).toMatchObject({ status: 'valid', grade_name: '四级人民调解员' })
    const verifyOld = await call(verifyPage.loader, '/x', { params: { number: oldCertificate.number } })
    expect(verifyOld.data).toMatchObject({ certificate: { standing: 'revoked' } })

    // The public notice of the change: no sign-in, no numbers.
    const notice = await call(changeNotice.loader, '/x', { params: { gradeId: grade!.gradeId } })
    expect(notice.data).toMatchObject({
      notice: { kind: 'demoted', fromGrade: '三级人民调解员', toGrade: '四级人民调解员', reason: '年度考核不合格' },
    })
    expect(serialized(notice)).not.toContain(world.people.hdMediator.idNumber!.slice(-4))

    // Revocation of the lower grade.
    const revoked = await call(changePage.action, '/x', {
      cookie: world.users.hdAssoc.cookie,
      params: { gradeId: lower.id },
      form: { kind: 'revoke', reason: '违法违纪', noticeStartOn: today, version: '1' },
    })
    expect(revoked.status).toBe(302)
    expect(await currentGrade(testDb(), world.people.hdMediator.id)).toBeNull()

    // The history shows every change, to the mediator themself (via /me) and their manager.
    const me = await call(historyPage.loader, '/grading/history/me', { cookie: world.users.mediator.cookie, params: { personId: 'me' } })
    expect(me.location).toBe(`/grading/history/${world.people.hdMediator.id}`)
    const history = await call(historyPage.loader, '/x', {
      cookie: world.users.hdManager.cookie,
      params: { personId: world.people.hdMediator.id },
    })
    const entries = (history.data as { history: { status: string; gradeName: string }[] }).history
    expect(entries.map((e) => e.status).sort()).toEqual(['demoted', 'revoked', 'superseded'])
    expect(
      (await call(historyPage.loader, '/x', { cookie: world.users.cyStaff.cookie, params: { personId: world.people.hdMediator.id } }))
        .status,
    ).toBe(404)
    const audit = await testDb()
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['grading.grade_demoted', 'grading.grade_revoked'])
      .execute()
    expect(audit).toHaveLength(2)
  })
})
