/**
 * Rounds, applications, pre-review, case statistics and attachments through the real routes:
 * a round created and opened (with the confirmation step), a version conflict between two admins,
 * applying (and applying twice, and outside the window), the association's override with a reason,
 * applicants never seeing scores before finalisation, case statistics entered, confirmed, corrected
 * and imported, attachments typed by content and served only to those who may see them.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import * as applicationRoute from '#app/routes/_app.grading.applications.$applicationId.tsx'
import * as downloadRoute from '#app/routes/_app.grading.attachments.$attachmentId.tsx'
import * as uploadRoute from '#app/routes/_app.grading.attachments.upload.tsx'
import * as roundRoute from '#app/routes/_app.grading.rounds.$roundId.tsx'
import * as applyRoute from '#app/routes/_app.grading.rounds.$roundId_.apply.tsx'
import * as newRoundRoute from '#app/routes/_app.grading.rounds.new.tsx'
import * as rulesRoute from '#app/routes/_app.grading.rules.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { buildWorld, call, serialized, type World } from '#tests/security/world.ts'
import { importCaseStats, saveCaseStats, confirmCaseStats } from './case-stats.server.ts'
import { addDays } from './rounds.ts'
import { getOptionalUser } from '#app/modules/auth/authz.server.ts'

let world: World
let roundId: string
const today = todayInChina()

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

async function userOf(cookie: string) {
  return (await getOptionalUser(makeRequest('/', { cookie })))!
}

beforeAll(async () => {
  process.env.TIAOJIE_UPLOAD_DIR = await fs.mkdtemp(path.join(os.tmpdir(), 'tiaojie-grading-'))
  world = await buildWorld(testDb())
  await testDb().updateTable('mediators').set({ started_on: '2015-01-01' }).where('person_id', '=', world.people.hdMediator.id).execute()
})

async function transition(to: string, version: number, cookie = world.users.hdAssoc.cookie) {
  return call(roundRoute.action, `/grading/rounds/${roundId}`, { cookie, params: { roundId }, form: { to, version, confirmed: 'yes' } })
}

describe(`grading rounds and applications (${testDialect()})`, () => {
  it('the association creates a round from its latest rules and opens it after confirming', async () => {
    const created = await call(newRoundRoute.action, '/grading/rounds/new', {
      cookie: world.users.hdAssoc.cookie,
      form: {
        associationOrgId: world.orgs.hdAssociation,
        title: '海淀区等级评定',
        gradeCodes: ['3', '4'],
        quota_4: '10',
        opensOn: addDays(today, -1),
        closesOn: addDays(today, 10),
      },
    })
    expect(created.status).toBe(302)
    roundId = created.location!.split('/').at(-1)!
    const round = await testDb().selectFrom('grading_rounds').selectAll().where('id', '=', roundId).executeTakeFirstOrThrow()
    expect(round).toMatchObject({ status: 'draft', grade_codes: '["3","4"]', quotas: '{"4":10}' })
    const config = await testDb().selectFrom('grading_configs').selectAll().where('id', '=', round.config_id).executeTakeFirstOrThrow()
    expect(Number(config.version_no)).toBe(1)

    // Another association's admin cannot create rounds for this one.
    const foreign = await call(newRoundRoute.action, '/grading/rounds/new', {
      cookie: world.users.admin.cookie,
      form: { associationOrgId: world.orgs.hdCommittee, title: 'x', gradeCodes: ['4'], opensOn: today, closesOn: today },
    })
    expect(foreign.status).toBe(400)

    // First post: only the confirmation question; nothing changes.
    const asked = await call(roundRoute.action, `/grading/rounds/${roundId}`, {
      cookie: world.users.hdAssoc.cookie,
      params: { roundId },
      form: { to: 'open', version: 1 },
    })
    expect(asked.data).toMatchObject({ confirm: { to: 'open', version: 1 } })
    expect((await testDb().selectFrom('grading_rounds').select('status').where('id', '=', roundId).executeTakeFirstOrThrow()).status).toBe(
      'draft',
    )
    expect((await transition('open', 1)).status).toBe(302)
    const events = await testDb()
      .selectFrom('grading_round_events')
      .select(['from_status', 'to_status'])
      .where('round_id', '=', roundId)
      .orderBy('created_at')
      .execute()
    expect(events.map((e) => e.to_status)).toEqual(['draft', 'open'])
  })

  it('two admins acting on the same version: one wins, the other is told, nothing half-done', async () => {
    // Both loaded version 2 (open); the first moves to eligibility, the second tries to cancel.
    const [a, b] = await Promise.all([transition('eligibility', 2), transition('cancelled', 2)])
    const statuses = [a.status, b.status].sort()
    expect(statuses).toEqual([302, 409])
    const loser = a.status === 409 ? a : b
    expect(loser.data).toMatchObject({ error: 'grading.round.stale', stale: true })
    const round = await testDb()
      .selectFrom('grading_rounds')
      .select(['status', 'version'])
      .where('id', '=', roundId)
      .executeTakeFirstOrThrow()
    expect(Number(round.version)).toBe(3)
    const events = await testDb().selectFrom('grading_round_events').select('to_status').where('round_id', '=', roundId).execute()
    expect(events).toHaveLength(3)
    // Put it back to an open round for the application tests (a fresh round, since steps never go back).
    const created = await call(newRoundRoute.action, '/grading/rounds/new', {
      cookie: world.users.hdAssoc.cookie,
      form: {
        associationOrgId: world.orgs.hdAssociation,
        title: '海淀区等级评定（二）',
        gradeCodes: ['3', '4'],
        opensOn: addDays(today, -1),
        closesOn: addDays(today, 10),
      },
    })
    roundId = created.location!.split('/').at(-1)!
    expect((await transition('open', 1)).status).toBe(302)
    // Skipping a step is refused.
    const skip = await transition('notice', 2)
    expect(skip.data).toMatchObject({ error: 'grading.round.notAllowed' })
  })

  it('a mediator applies once; the evidence and the rule-by-rule check are frozen; twice is refused', async () => {
    const { mediator, hdManager } = world.users
    // Case statistics first: entered by the manager, confirmed by the mediator.
    const manager = await userOf(hdManager.cookie)
    const me = await userOf(mediator.cookie)
    const request = makeRequest('/grading/case-stats', { method: 'POST' })
    const year = Number(today.slice(0, 4))
    expect(
      await saveCaseStats(testDb(), request, manager, {
        personId: world.people.hdMediator.id,
        year,
        disputes: 10,
        successful: 11,
        oral: 0,
        version: null,
      }),
    ).toMatchObject({
      ok: false,
      error: 'grading.caseStats.successTooHigh',
    })
    expect(
      await saveCaseStats(testDb(), request, manager, {
        personId: world.people.hdMediator.id,
        year,
        disputes: 60,
        successful: 55,
        oral: 10,
        version: null,
      }),
    ).toEqual({ ok: true })
    // Not the manager's mediator: refused.
    expect(
      await saveCaseStats(testDb(), request, manager, {
        personId: world.people.hdOther.id,
        year,
        disputes: 1,
        successful: 1,
        oral: 0,
        version: null,
      }),
    ).toMatchObject({ ok: false })
    const row = await testDb()
      .selectFrom('mediator_case_stats')
      .select(['id', 'version'])
      .where('person_id', '=', world.people.hdMediator.id)
      .executeTakeFirstOrThrow()
    expect(await confirmCaseStats(testDb(), request, manager, { statsId: row.id, version: Number(row.version) })).toMatchObject({
      ok: false,
    })
    expect(await confirmCaseStats(testDb(), request, me, { statsId: row.id, version: Number(row.version) })).toEqual({ ok: true, year })

    const apply = (cookie: string, form: Record<string, string>) =>
      call(applyRoute.action, `/grading/rounds/${roundId}/apply`, { cookie, params: { roundId }, form })
    const form = { personId: world.people.hdMediator.id, gradeCode: '4', noCriminalConversion: 'on', noMisconduct: 'on' }
    const missingDeclaration = await apply(mediator.cookie, { ...form, noMisconduct: '' })
    expect(missingDeclaration.status).toBe(400)
    const done = await apply(mediator.cookie, form)
    expect(done.status).toBe(302)
    const app = await testDb().selectFrom('grading_applications').selectAll().where('round_id', '=', roundId).executeTakeFirstOrThrow()
    expect(app).toMatchObject({
      status: 'submitted',
      grade_code: '4',
      person_id: world.people.hdMediator.id,
      org_id: world.orgs.hdCommittee,
    })
    const evidence = JSON.parse(app.evidence)
    expect(evidence.caseStats.totals).toEqual({ disputes: 60, successful: 55, oral: 10 })
    expect(evidence.work.startedOn).toBe('2015-01-01')
    // No identity in the snapshot.
    expect(app.evidence).not.toContain(world.people.hdMediator.name)
    const eligibility = JSON.parse(app.eligibility)
    expect(eligibility.rules.find((r: { rule: string }) => r.rule === 'minDisputes')).toMatchObject({
      passed: true,
      required: 50,
      actual: 60,
    })
    expect(eligibility.rules.find((r: { rule: string }) => r.rule === 'basic.requiredTraining')).toMatchObject({ passed: false })

    // Twice: by the mediator, and by their org manager for them.
    const again = await apply(mediator.cookie, form)
    expect(again.status).toBe(409)
    expect(serialized(again)).toContain('grading.application.duplicate')
    expect((await apply(hdManager.cookie, form)).status).toBe(409)
    expect(await testDb().selectFrom('grading_applications').select('id').where('round_id', '=', roundId).execute()).toHaveLength(1)
    // A grade the round does not offer, and another committee's mediator, are refused.
    expect(serialized(await apply(hdManager.cookie, { ...form, personId: world.people.hdMediator2.id, gradeCode: '1' }))).toContain(
      'grading.application.gradeNotOffered',
    )
    expect(serialized(await apply(hdManager.cookie, { ...form, personId: world.people.hdOther.id }))).toContain(
      'grading.application.notMediator',
    )
  })

  it('refuses applications outside the window', async () => {
    await testDb()
      .updateTable('grading_rounds')
      .set({ applications_close_on: addDays(today, -1) })
      .where('id', '=', roundId)
      .execute()
    const late = await call(applyRoute.action, `/grading/rounds/${roundId}/apply`, {
      cookie: world.users.hdManager.cookie,
      params: { roundId },
      form: { personId: world.people.hdMediator2.id, gradeCode: '4', noCriminalConversion: 'on', noMisconduct: 'on' },
    })
    expect(late.status).toBe(400)
    expect(serialized(late)).toContain('grading.application.outsideWindow')
    await testDb()
      .updateTable('grading_rounds')
      .set({ applications_close_on: addDays(today, 10) })
      .where('id', '=', roundId)
      .execute()
  })

  it('the association overrides the automatic verdict with a written reason (audited); the applicant cannot', async () => {
    const app = await testDb()
      .selectFrom('grading_applications')
      .select(['id', 'version'])
      .where('round_id', '=', roundId)
      .executeTakeFirstOrThrow()
    const path = `/grading/applications/${app.id}`
    const noReason = await call(applicationRoute.action, path, {
      cookie: world.users.hdAssoc.cookie,
      params: { applicationId: app.id },
      form: { intent: 'override', verdict: 'eligible', reason: '', version: app.version },
    })
    expect(noReason.status).toBe(400)
    const byApplicant = await call(applicationRoute.action, path, {
      cookie: world.users.mediator.cookie,
      params: { applicationId: app.id },
      form: { intent: 'override', verdict: 'eligible', reason: 'x', version: app.version },
    })
    expect(byApplicant.status).toBe(403)
    const ok = await call(applicationRoute.action, path, {
      cookie: world.users.hdAssoc.cookie,
      params: { applicationId: app.id },
      form: { intent: 'override', verdict: 'eligible', reason: '岗前培训记录在纸质档案中，已核实', version: app.version },
    })
    expect(ok.status).toBe(302)
    const after = await testDb().selectFrom('grading_applications').selectAll().where('id', '=', app.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({
      status: 'eligible',
      override_verdict: 'eligible',
      override_reason: '岗前培训记录在纸质档案中，已核实',
      override_by: world.users.hdAssoc.id,
    })
    const logged = await testDb()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'grading.application.override')
      .where('record_id', '=', app.id)
      .execute()
    expect(logged).toHaveLength(1)
    // The stale version is refused.
    const stale = await call(applicationRoute.action, path, {
      cookie: world.users.hdAssoc.cookie,
      params: { applicationId: app.id },
      form: { intent: 'override', verdict: 'ineligible', reason: 'x', version: app.version },
    })
    expect(stale.status).toBe(409)
  })

  it('applicants never see scores or ranks before the round is finalised', async () => {
    const app = await testDb().selectFrom('grading_applications').select('id').where('round_id', '=', roundId).executeTakeFirstOrThrow()
    await testDb()
      .updateTable('grading_applications')
      .set({ final_score: 8123, rank_in_grade: 1, outcome_reason: '名额内' })
      .where('id', '=', app.id)
      .execute()
    const asApplicant = await call(applicationRoute.loader, `/grading/applications/${app.id}`, {
      cookie: world.users.mediator.cookie,
      params: { applicationId: app.id },
    })
    expect(asApplicant.status).toBe(200)
    expect(asApplicant.data).toMatchObject({
      scoresVisible: false,
      application: { finalScore: null, rankInGrade: null, outcomeReason: null },
    })
    expect(serialized(asApplicant)).not.toContain('8123')
    const roundAsManager = await call(roundRoute.loader, `/grading/rounds/${roundId}`, {
      cookie: world.users.hdManager.cookie,
      params: { roundId },
    })
    expect(serialized(roundAsManager)).not.toContain('8123')
    const asAssociation = await call(applicationRoute.loader, `/grading/applications/${app.id}`, {
      cookie: world.users.hdAssoc.cookie,
      params: { applicationId: app.id },
    })
    expect(asAssociation.data).toMatchObject({ application: { finalScore: 8123 } })
    await testDb().updateTable('grading_rounds').set({ status: 'finalised' }).where('id', '=', roundId).execute()
    const later = await call(applicationRoute.loader, `/grading/applications/${app.id}`, {
      cookie: world.users.mediator.cookie,
      params: { applicationId: app.id },
    })
    expect(later.data).toMatchObject({ scoresVisible: true, application: { finalScore: 8123, rankInGrade: 1 } })
    await testDb().updateTable('grading_rounds').set({ status: 'open' }).where('id', '=', roundId).execute()
    // Someone outside: 404.
    const outsider = await call(applicationRoute.loader, `/grading/applications/${app.id}`, {
      cookie: world.users.cyStaff.cookie,
      params: { applicationId: app.id },
    })
    expect(outsider.status).toBe(404)
  })

  it('attachments: typed by content, served to the owner, the association and assigned reviewers (neutral name) only', async () => {
    const upload = (bytes: Uint8Array, name: string, personId = world.people.hdMediator2.id, cookie = world.users.hdManager.cookie) => {
      const form = new FormData()
      form.append('personId', personId)
      form.append('back', '/grading')
      form.append('file', new File([new Uint8Array(bytes)], name))
      return call(uploadRoute.action, '/grading/attachments/upload', { cookie, form })
    }
    const fake = await upload(new TextEncoder().encode('<html>not a pdf</html>'), '证明.pdf')
    expect(fake.status).toBe(302)
    expect(await testDb().selectFrom('grading_attachments').select('id').execute()).toHaveLength(0)
    // Not the manager's mediator: refused.
    expect((await upload(PDF, 'x.pdf', world.people.hdOther.id)).status).toBe(404)
    expect((await upload(PDF, '张三-荣誉证书.pdf')).status).toBe(302)
    const stored = await testDb().selectFrom('grading_attachments').selectAll().executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ mime: 'application/pdf', application_id: null, file_name: '张三-荣誉证书.pdf' })
    // The file lives under the upload directory with a generated name.
    await fs.access(path.join(process.env.TIAOJIE_UPLOAD_DIR!, 'grading', stored.storage_key))

    // Applying ties it to the application.
    const applied = await call(applyRoute.action, `/grading/rounds/${roundId}/apply`, {
      cookie: world.users.hdManager.cookie,
      params: { roundId },
      form: { personId: world.people.hdMediator2.id, gradeCode: '4', noCriminalConversion: 'on', noMisconduct: 'on' },
    })
    expect(applied.status).toBe(302)
    const applicationId = applied.location!.split('/').at(-1)!
    const attached = await testDb()
      .selectFrom('grading_attachments')
      .select('application_id')
      .where('id', '=', stored.id)
      .executeTakeFirstOrThrow()
    expect(attached.application_id).toBe(applicationId)

    const get = (cookie: string) =>
      downloadRoute
        .loader({ request: makeRequest(`/grading/attachments/${stored.id}`, { cookie }), params: { attachmentId: stored.id }, context: {} })
        .then(
          (r) => r as Response,
          (e) => e as Response,
        )
    const owner = await get(world.users.hdManager.cookie)
    expect(owner.status).toBe(200)
    expect(owner.headers.get('Content-Type')).toBe('application/pdf')
    expect(new Uint8Array(await owner.arrayBuffer())).toEqual(PDF)
    expect((await get(world.users.hdAssoc.cookie)).status).toBe(200)
    expect((await get(world.users.mediator.cookie)).status).toBe(404)
    expect((await get(world.users.reviewer.cookie)).status).toBe(404)
    await testDb()
      .insertInto('grading_assignments')
      .values({
        id: newId(),
        application_id: applicationId,
        round_id: roundId,
        reviewer_user_id: world.users.reviewer.id,
        reason: 'initial',
        status: 'assigned',
        scores: null,
        total: null,
        assigned_at: new Date().toISOString(),
        submitted_at: null,
      })
      .execute()
    const reviewer = await get(world.users.reviewer.cookie)
    expect(reviewer.status).toBe(200)
    const disposition = decodeURIComponent(reviewer.headers.get('Content-Disposition') ?? '')
    expect(disposition).toContain('附件1.pdf')
    expect(disposition).not.toContain('张三')
  })

  it('case statistics import: a row report and nothing written, then a clean file in one go; edits clear the confirmation', async () => {
    const db = testDb()
    const card = async (personId: string) => {
      const c = `C${personId.slice(-8)}`
      await db.updateTable('mediators').set({ card_number: c }).where('person_id', '=', personId).execute()
      return c
    }
    const c1 = await card(world.people.hdMediator.id)
    const c2 = await card(world.people.hdMediator2.id)
    const cOther = await card(world.people.hdOther.id)
    const year = Number(today.slice(0, 4))
    const file = async (rows: (string | null)[][]) =>
      new Uint8Array(
        await buildWorkbook([
          {
            name: '办案统计',
            columns: ['工作证号', '姓名', '年度', '调解纠纷数', '调解成功数', '口头协议数'].map((header) => ({ header, text: true })),
            rows,
          },
        ]),
      )
    const manager = await userOf(world.users.hdManager.cookie)
    const request = makeRequest('/grading/case-stats', { method: 'POST' })
    const bad = await importCaseStats(
      db,
      request,
      manager,
      {
        name: 'stats.xlsx',
        bytes: await file([
          [c2, world.people.hdMediator2.name, String(year - 1), '40', '36', '5'], // row 2 good
          [c2, world.people.hdMediator2.name, String(year - 1), '40', '36', '5'], // row 3 duplicate
          [cOther, world.people.hdOther.name, String(year - 1), '1', '1', '0'], // row 4 out of scope
          [c1, world.people.hdMediator.name, String(year - 1), '10', '12', '0'], // row 5 successful > disputes
        ]),
      },
      today,
    )
    expect(bad).toMatchObject({ ok: true, imported: 0, rows: 4 })
    if (!bad.ok) throw new Error('unexpected')
    expect(bad.bad.map((b) => b.rowNumber)).toEqual([3, 4, 5])
    expect(bad.bad[2]!.problems).toEqual([{ field: 'successful', message: 'grading.caseStats.successTooHigh' }])
    expect(
      await db
        .selectFrom('mediator_case_stats')
        .select('id')
        .where('year', '=', year - 1)
        .execute(),
    ).toHaveLength(0)

    const good = await importCaseStats(
      db,
      request,
      manager,
      {
        name: 'stats.xlsx',
        bytes: await file([
          [c2, world.people.hdMediator2.name, String(year - 1), '40', '36', '5'],
          [c1, world.people.hdMediator.name, String(year), '70', '60', '9'],
        ]),
      },
      today,
    )
    expect(good).toMatchObject({ ok: true, imported: 2 })
    // The edited row (hdMediator, this year) lost its confirmation.
    const edited = await db
      .selectFrom('mediator_case_stats')
      .select(['disputes_mediated', 'confirmed_at'])
      .where('person_id', '=', world.people.hdMediator.id)
      .where('year', '=', year)
      .executeTakeFirstOrThrow()
    expect(edited).toMatchObject({ confirmed_at: null })
    expect(Number(edited.disputes_mediated)).toBe(70)
  })

  it('rules: the form saves a new version; a stale base or a broken rubric is refused, nothing lost', async () => {
    const loaded = await call(rulesRoute.loader, '/grading/rules', { cookie: world.users.hdAssoc.cookie })
    const form = (loaded.data as { form: Record<string, unknown> }).form
    const flat: Record<string, string> = {}
    const walk = (value: unknown, name: string) => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${name}[${i}]`))
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, name ? `${name}.${k}` : k)
      else if (value !== '' && value !== undefined && value !== null) flat[name] = String(value)
    }
    walk(form, '')
    expect(flat.baseVersion).toBe('1')
    const post = (values: Record<string, string>) =>
      call(rulesRoute.action, '/grading/rules', { cookie: world.users.hdAssoc.cookie, form: values })
    const broken = await post({ ...flat, 'rubric[0].weight': '30' })
    expect(broken.status).toBe(400)
    expect(serialized(broken)).toContain('grading.config.weightsSum')
    const saved = await post({ ...flat, 'grades[3].minDisputes': '40', note: '四级门槛调整' })
    expect(saved.status).toBe(302)
    const versions = await testDb()
      .selectFrom('grading_configs')
      .select(['version_no', 'config'])
      .where('association_org_id', '=', world.orgs.hdAssociation)
      .orderBy('version_no')
      .execute()
    expect(versions.map((v) => Number(v.version_no))).toEqual([1, 2])
    expect(JSON.parse(versions[1]!.config).grades[3].thresholds.minDisputes).toBe(40)
    // The rounds keep version 1.
    const round = await testDb().selectFrom('grading_rounds').select('config_id').where('id', '=', roundId).executeTakeFirstOrThrow()
    expect(
      (await testDb().selectFrom('grading_configs').select('version_no').where('id', '=', round.config_id).executeTakeFirstOrThrow())
        .version_no,
    ).toBe(1)
    // A second admin saving from version 1 is told, and writes nothing.
    const stale = await post({ ...flat, 'grades[3].minDisputes': '45' })
    expect(stale.status).toBe(409)
    expect(serialized(stale)).toContain('grading.rules.stale')
    expect(
      await testDb().selectFrom('grading_configs').select('id').where('association_org_id', '=', world.orgs.hdAssociation).execute(),
    ).toHaveLength(2)
  })
})
