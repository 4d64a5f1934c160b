/**
 * The end of a grading round in the browser: the public 公示 page (no sign-in, on a phone), an
 * anonymous objection through the public form, the association investigating and answering it,
 * the round moved on to resolved and finalised from the round page, and the certificate's public
 * verification page showing the grade.
 *
 * The earlier states (rules, round, a proposed application with its score) are set up in the
 * database: creation, applications, eligibility and blind scoring have their own e2e files (G1,
 * G2); the whole chain from round creation through scoring with calibration and a discrepancy is
 * not driven here yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { addDays } from '#app/modules/grading/rounds.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const today = todayInChina()
let roundId: string
let applicationId: string
let mediatorName: string
let mediatorPersonId: string
const startedAt = new Date().toISOString()

beforeAll(async () => {
  const db = e2eDb()
  const assoc = await db
    .selectFrom('users as u')
    .innerJoin('role_grants as g', 'g.user_id', 'u.id')
    .select(['u.id', 'g.org_id'])
    .where('u.username', '=', 'hd.assoc')
    .where('g.role', '=', 'association_admin')
    .executeTakeFirstOrThrow()
  const mediator = await db
    .selectFrom('users as u')
    .innerJoin('people as p', 'p.id', 'u.person_id')
    .innerJoin('mediators as m', 'm.person_id', 'p.id')
    .select(['u.id as user_id', 'p.id as person_id', 'p.name', 'm.org_id'])
    .where('u.username', '=', 'mediator')
    .executeTakeFirstOrThrow()
  mediatorName = mediator.name
  mediatorPersonId = mediator.person_id
  const now = new Date().toISOString()
  const existing = await db
    .selectFrom('grading_configs')
    .select('id')
    .where('association_org_id', '=', assoc.org_id!)
    .orderBy('version_no', 'desc')
    .executeTakeFirst()
  const configId = existing?.id ?? newId()
  if (!existing) {
    await db
      .insertInto('grading_configs')
      .values({
        id: configId,
        association_org_id: assoc.org_id!,
        version_no: 1,
        config: JSON.stringify(DEFAULT_GRADING_CONFIG),
        note: null,
        created_by: assoc.id,
        created_at: now,
      })
      .execute()
  }
  roundId = newId()
  await db
    .insertInto('grading_rounds')
    .values({
      id: roundId,
      association_org_id: assoc.org_id!,
      config_id: configId,
      title: `E2E 等级评定 ${roundId.slice(-4)}`,
      status: 'notice',
      grade_codes: JSON.stringify(['4']),
      quotas: '{}',
      applications_open_on: addDays(today, -60),
      applications_close_on: addDays(today, -40),
      notice_start_on: today,
      notice_end_on: addDays(today, 5),
      committee: '[]',
      created_by: assoc.id,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  applicationId = newId()
  await db
    .insertInto('grading_applications')
    .values({
      id: applicationId,
      round_id: roundId,
      person_id: mediator.person_id,
      org_id: mediator.org_id,
      grade_code: '4',
      status: 'proposed',
      blind_code: 'G-E2E-0001',
      applied_by: mediator.user_id,
      evidence: '{}',
      eligibility: '{}',
      eligible_auto: 1,
      override_verdict: null,
      override_reason: null,
      override_by: null,
      final_score: 8650,
      rank_in_grade: 1,
      outcome_reason: null,
      submitted_at: now,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
})

afterAll(async () => {
  // Leave the demo database as it was for the files that run after this one.
  const db = e2eDb()
  const grades = await db.selectFrom('mediator_grades').select('id').where('round_id', '=', roundId).execute()
  if (grades.length) {
    await db
      .deleteFrom('grade_certificates')
      .where(
        'mediator_grade_id',
        'in',
        grades.map((g) => g.id),
      )
      .execute()
    await db.deleteFrom('mediator_grades').where('round_id', '=', roundId).execute()
  }
  // The demo mediator's earlier grade (if any) was superseded by this round's award: restore it.
  await db
    .updateTable('mediator_grades')
    .set({ status: 'current' })
    .where('person_id', '=', mediatorPersonId)
    .where('status', '=', 'superseded')
    .where('changed_at', '>=', startedAt)
    .execute()
})

describe('公示, an objection, finalisation and certificate verification', () => {
  it('an anonymous objection is answered, the round finalised, and the certificate verifies', { timeout: 120_000 }, async () => {
    // The public notice, on a phone, without signing in.
    const visitor = await newPage({ viewport: 'phone' })
    await visitor.goto(`/notice/${roundId}`)
    await visitor.getByTestId('notice-list').waitFor()
    const list = (await visitor.getByTestId('notice-list').textContent()) ?? ''
    expect(list).toContain(mediatorName)
    expect(list).toContain('四级人民调解员')
    expect(list).not.toContain('86.50')

    await visitor.getByRole('link', { name: '提出异议' }).click()
    await visitor.waitForURL(`**/notice/${roundId}/object`)
    await visitor.getByLabel('您的姓名').fill('李群众')
    await visitor.getByLabel('联系方式（手机号或电子邮箱）').fill('13800001111')
    await visitor.getByLabel('异议对象').selectOption(applicationId)
    await visitor.getByLabel('异议事实和理由').fill('听说该调解员去年一起纠纷调解不当，请协会核实。')
    await visitor.getByRole('button', { name: '提交异议' }).click()
    await visitor.waitForURL(`**/notice/${roundId}/object?received=*`)
    await visitor.getByTestId('objection-received').waitFor()
    const objection = await e2eDb().selectFrom('grading_objections').selectAll().where('round_id', '=', roundId).executeTakeFirstOrThrow()
    expect(objection.filer_contact_masked).toBe('138****1111')
    expect(objection.filer_contact_enc).not.toContain('13800001111')

    // The association investigates and answers (dismissed: the result stands).
    const admin = await newPage()
    await signIn(admin, 'hd.assoc')
    await admin.goto(`/grading/rounds/${roundId}/objections`)
    await admin.getByTestId('open-objections').waitFor()
    expect(await admin.getByTestId('open-objections').textContent()).toContain('1')
    await admin.getByRole('link', { name: '处理' }).click()
    await admin.waitForURL(`**/objections/${objection.id}`)
    await admin.getByTestId('objection').waitFor()
    expect(await admin.getByTestId('objection-contact').textContent()).toBe('138****1111')
    await admin.getByLabel('核查情况').fill('调取卷宗核查，该纠纷调解程序规范，未发现调解不当。')
    await admin.getByLabel('书面答复').fill('经核查，异议反映的问题不属实，维持拟定级结果。')
    await admin.getByLabel('异议不成立').check()
    await admin.getByRole('button', { name: '保存处理结论' }).click()
    await admin.waitForURL(`**/grading/rounds/${roundId}/objections`)
    await admin.getByTestId('open-objections').waitFor()
    expect(await admin.getByTestId('open-objections').textContent()).toContain('0')

    // The notice period runs out (moved into the past here), then the round is resolved and finalised.
    await e2eDb()
      .updateTable('grading_rounds')
      .set({ notice_start_on: addDays(today, -8), notice_end_on: addDays(today, -1) })
      .where('id', '=', roundId)
      .execute()
    for (const to of ['resolved', 'finalised']) {
      await admin.goto(`/grading/rounds/${roundId}`)
      await admin.getByTestId('transitions').waitFor()
      await admin.locator(`form:has(input[name="to"][value="${to}"]) button[type="submit"]`).click()
      await admin.getByTestId('confirm-transition').waitFor()
      await admin.getByTestId('confirm-transition').locator('button[type="submit"]').click()
      await expect
        .poll(
          async () =>
            (await e2eDb().selectFrom('grading_rounds').select('status').where('id', '=', roundId).executeTakeFirstOrThrow()).status,
        )
        .toBe(to)
    }
    const application = await e2eDb()
      .selectFrom('grading_applications')
      .select('status')
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow()
    expect(application.status).toBe('awarded')
    const certificate = await e2eDb()
      .selectFrom('grade_certificates as c')
      .innerJoin('mediator_grades as g', 'g.id', 'c.mediator_grade_id')
      .select('c.number')
      .where('g.round_id', '=', roundId)
      .executeTakeFirstOrThrow()

    // Anyone verifies the certificate.
    await visitor.goto(`/grade-certificates/${certificate.number}`)
    await visitor.getByTestId('grade-verification').waitFor()
    expect(await visitor.getByTestId('grade-name').textContent()).toBe('四级人民调解员')
    expect(await visitor.getByTestId('grade-standing').textContent()).toBe('有效')

    // The mediator sees the grade in their history and prints the certificate.
    const mediator = await newPage({ viewport: 'phone' })
    await signIn(mediator, 'mediator')
    await mediator.goto('/grading/history/me')
    await mediator.getByTestId('current-grade').waitFor()
    expect(await mediator.getByTestId('current-grade').textContent()).toContain('四级人民调解员')
    await mediator.getByRole('link', { name: certificate.number }).click()
    await mediator.waitForURL(`**/grading/certificates/${certificate.number}`)
    await mediator.getByTestId('grade-certificate').waitFor()
    expect(await mediator.getByTestId('grade-certificate-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/)
  })
})
