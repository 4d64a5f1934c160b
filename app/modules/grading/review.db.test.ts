import { beforeAll, describe, expect, it } from 'vitest'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type ReviewRoundFixture, calibrate, createReviewRound, scoreForm } from '#tests/fixtures/grading-review.ts'
import { type World, buildWorld, call, serialized } from '#tests/security/world.ts'
import { newId } from '#app/lib/ids.ts'
import * as calibrationRoute from '#app/routes/_app.grading.rounds.$roundId_.calibration.tsx'
import * as panelRoute from '#app/routes/_app.grading.rounds.$roundId_.panel.tsx'
import * as scoreRoute from '#app/routes/_app.grading.reviews.$assignmentId.tsx'
import * as queueRoute from '#app/routes/_app.grading.reviews._index.tsx'
import { assignReviewers, pendingReviewCount } from './assignment.server.ts'
import { rankRound } from './results.server.ts'

let world: World
const db = () => testDb()
const now = () => new Date().toISOString()

beforeAll(async () => {
  world = await buildWorld(testDb())
})

async function assignmentsOf(roundId: string) {
  return db().selectFrom('grading_assignments').selectAll().where('round_id', '=', roundId).orderBy('assigned_at').orderBy('id').execute()
}

async function application(id: string) {
  return db().selectFrom('grading_applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function addConflict(f: ReviewRoundFixture, userId: string, personId: string) {
  await db()
    .insertInto('grading_reviewer_conflicts')
    .values({ id: newId(), round_id: f.roundId, user_id: userId, person_id: personId, reason: '亲属关系', created_at: now() })
    .execute()
}

/** Assigns and returns the live assignments of one application, with the reviewers' cookies. */
async function assigned(f: ReviewRoundFixture, appId: string) {
  const rows = (await assignmentsOf(f.roundId)).filter((a) => a.application_id === appId && a.status !== 'removed')
  return rows.map((r) => ({ ...r, cookie: f.reviewers.find((x) => x.id === r.reviewer_user_id)!.cookie }))
}

describe(`reviewer assignment (${testDialect()})`, () => {
  it('assigns three reviewers each, never from the applicant organisation or with a conflict, balancing load', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 5 })
    // r1 declared a conflict with hdOther; r0 works in hdCommittee (hdMediator, hdMediator2).
    await addConflict(f, f.reviewers[1]!.id, world.people.hdOther.id)
    const result = await assignReviewers(db(), f.roundId, now())
    expect(result).toEqual({ assigned: 9, unassigned: [] })
    const rows = await assignmentsOf(f.roundId)
    const on = (appId: string) => rows.filter((r) => r.application_id === appId).map((r) => r.reviewer_user_id)
    for (const appId of Object.values(f.apps)) expect(new Set(on(appId)).size).toBe(3)
    expect(on(f.apps.hdMediator)).not.toContain(f.reviewers[0]!.id)
    expect(on(f.apps.hdMediator2)).not.toContain(f.reviewers[0]!.id)
    expect(on(f.apps.hdOther)).not.toContain(f.reviewers[1]!.id)
    // 9 reviews over 5 reviewers: loads 2 or 1… never more than one apart.
    const loads = f.reviewers.map((r) => rows.filter((x) => x.reviewer_user_id === r.id).length)
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1)
    expect(rows.every((r) => r.reason === 'initial' && r.status === 'assigned')).toBe(true)
    expect(await pendingReviewCount(db(), f.roundId)).toBe(9)
    // Idempotent: a second run adds nothing.
    expect(await assignReviewers(db(), f.roundId, now())).toEqual({ assigned: 0, unassigned: [] })
  })

  it('reports applications that cannot be staffed and writes nothing', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 3 })
    // Only 3 reviewers, and r0 is from hdCommittee: hdMediator and hdMediator2 cannot get 3.
    const result = await assignReviewers(db(), f.roundId, now())
    expect(result.assigned).toBe(0)
    expect(result.unassigned.sort()).toEqual([f.apps.hdMediator, f.apps.hdMediator2].sort())
    expect(await assignmentsOf(f.roundId)).toEqual([])
  })

  it('leaves ineligible and withdrawn applications out', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 5 })
    await db().updateTable('grading_applications').set({ status: 'ineligible' }).where('id', '=', f.apps.hdOther).execute()
    const result = await assignReviewers(db(), f.roundId, now())
    expect(result.assigned).toBe(6)
    expect((await assignmentsOf(f.roundId)).some((a) => a.application_id === f.apps.hdOther)).toBe(false)
  })
})

describe(`blind scoring (${testDialect()})`, () => {
  let f: ReviewRoundFixture

  beforeAll(async () => {
    f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 6 })
    await assignReviewers(db(), f.roundId, now())
    await db().updateTable('grading_rounds').set({ status: 'scoring' }).where('id', '=', f.roundId).execute()
  })

  it('never sends the applicant identity to the reviewer (queue and scoring page)', async () => {
    const [mine] = await assigned(f, f.apps.hdMediator)
    const person = world.people.hdMediator
    const page = await call(scoreRoute.loader, `/grading/reviews/${mine!.id}`, { cookie: mine!.cookie, params: { assignmentId: mine!.id } })
    expect(page.status).toBe(200)
    const queue = await call(queueRoute.loader, '/grading/reviews', { cookie: mine!.cookie })
    const orgName = (
      await db().selectFrom('organisations').select('name').where('id', '=', world.orgs.hdCommittee).executeTakeFirstOrThrow()
    ).name
    for (const json of [serialized(page), serialized(queue)]) {
      expect(json).toContain('G-2026-')
      expect(json).not.toContain(person.name)
      expect(json).not.toContain(orgName)
      expect(json).not.toContain(person.id_number_masked!)
      expect(json).not.toContain(person.idNumber!)
      expect(json).not.toContain(person.id_number_masked!.slice(0, 6) + '*')
      expect(json).not.toContain(person.id)
      expect(json).not.toContain(world.orgs.hdCommittee)
      expect(json).not.toContain(world.users.hdManager.id)
    }
  })

  it('refuses a reviewer who is not assigned, and other roles', async () => {
    const rows = await assigned(f, f.apps.hdMediator)
    const outsider = f.reviewers.find((r) => !rows.some((a) => a.reviewer_user_id === r.id))!
    const target = rows[0]!
    const view = await call(scoreRoute.loader, `/grading/reviews/${target.id}`, {
      cookie: outsider.cookie,
      params: { assignmentId: target.id },
    })
    expect(view.status).toBe(404)
    const post = await call(scoreRoute.action, `/grading/reviews/${target.id}`, {
      cookie: outsider.cookie,
      params: { assignmentId: target.id },
      form: { intent: 'submit', ...scoreForm(f.config, 7) },
    })
    expect(post.status).toBe(404)
    expect(
      (await db().selectFrom('grading_assignments').select('status').where('id', '=', target.id).executeTakeFirstOrThrow()).status,
    ).toBe('assigned')
    const denied = await db()
      .selectFrom('audit_log')
      .select('result')
      .where('action', '=', 'grading.review.not_assigned')
      .where('user_id', '=', outsider.id)
      .execute()
    expect(denied.length).toBeGreaterThan(0)
    // A mediator has no grading:review at all.
    const mediator = await call(scoreRoute.loader, `/grading/reviews/${target.id}`, {
      cookie: world.users.mediator.cookie,
      params: { assignmentId: target.id },
    })
    expect(mediator.status).toBe(403)
    // Applicants and their managers see no reviews or scores through these pages.
    for (const cookie of [world.users.mediator.cookie, world.users.hdManager.cookie]) {
      expect((await call(queueRoute.loader, '/grading/reviews', { cookie })).status).toBe(403)
      expect((await call(panelRoute.loader, `/grading/rounds/${f.roundId}/panel`, { cookie, params: { roundId: f.roundId } })).status).toBe(
        403,
      )
      expect(
        (await call(calibrationRoute.loader, `/grading/rounds/${f.roundId}/calibration`, { cookie, params: { roundId: f.roundId } }))
          .status,
      ).toBe(403)
    }
  })

  it('requires calibration before live scoring, records the deviation, and refuses a second calibration', async () => {
    const [a] = await assigned(f, f.apps.hdOther)
    const reviewer = f.reviewers.find((r) => r.id === a!.reviewer_user_id)!
    const early = await call(scoreRoute.action, `/grading/reviews/${a!.id}`, {
      cookie: reviewer.cookie,
      params: { assignmentId: a!.id },
      form: { intent: 'submit', ...scoreForm(f.config, 7) },
    })
    expect(early.status).toBe(409)
    expect(serialized(early)).toContain('gradingReview.error.calibrateFirst')
    const page = await call(calibrationRoute.loader, `/grading/rounds/${f.roundId}/calibration`, {
      cookie: reviewer.cookie,
      params: { roundId: f.roundId },
    })
    expect(page.status).toBe(200)
    // The reference is not shown before the reviewer has scored the sample.
    expect(serialized(page)).not.toContain('"reference"')
    const [sampleA, sampleB] = f.config.calibrationSamples
    // Sample A reference = 78.00; all 8s = 80.00 → deviation 2.00.
    const first = await call(calibrationRoute.action, `/grading/rounds/${f.roundId}/calibration`, {
      cookie: reviewer.cookie,
      params: { roundId: f.roundId },
      form: { sampleKey: sampleA!.key, ...scoreForm(f.config, 8) },
    })
    expect(first.status).toBe(302)
    const again = await call(calibrationRoute.action, `/grading/rounds/${f.roundId}/calibration`, {
      cookie: reviewer.cookie,
      params: { roundId: f.roundId },
      form: { sampleKey: sampleA!.key, ...scoreForm(f.config, 2) },
    })
    expect(again.status).toBe(409)
    expect(serialized(again)).toContain('gradingReview.error.calibrationDone')
    const rows = await db()
      .selectFrom('grading_calibrations')
      .selectAll()
      .where('reviewer_user_id', '=', reviewer.id)
      .where('round_id', '=', f.roundId)
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ sample_key: sampleA!.key, total: 8000, reference_total: 7800, deviation: 200 })
    // Still one sample to go: still refused.
    const stillEarly = await call(scoreRoute.action, `/grading/reviews/${a!.id}`, {
      cookie: reviewer.cookie,
      params: { assignmentId: a!.id },
      form: { intent: 'submit', ...scoreForm(f.config, 7) },
    })
    expect(serialized(stillEarly)).toContain('gradingReview.error.calibrateFirst')
    // Sample B reference 56.50; all 6s = 60.00 → 3.50.
    await call(calibrationRoute.action, `/grading/rounds/${f.roundId}/calibration`, {
      cookie: reviewer.cookie,
      params: { roundId: f.roundId },
      form: { sampleKey: sampleB!.key, ...scoreForm(f.config, 6) },
    })
    const done = await call(calibrationRoute.loader, `/grading/rounds/${f.roundId}/calibration`, {
      cookie: reviewer.cookie,
      params: { roundId: f.roundId },
    })
    expect(done.data).toMatchObject({ complete: true })
    expect(serialized(done)).toContain('"deviation":350')
    // Non-members of the panel cannot even open the round's calibration.
    const stranger = await call(calibrationRoute.loader, `/grading/rounds/${f.roundId}/calibration`, {
      cookie: world.users.reviewer.cookie,
      params: { roundId: f.roundId },
    })
    expect(stranger.status).toBe(404)
  })

  it('refuses points out of range or not whole, keeping the input', async () => {
    const [a] = await assigned(f, f.apps.hdMediator2)
    await calibrate(db(), f, a!.reviewer_user_id)
    const tooHigh = await call(scoreRoute.action, `/grading/reviews/${a!.id}`, {
      cookie: a!.cookie,
      params: { assignmentId: a!.id },
      form: { intent: 'submit', ...scoreForm(f.config, { law: 11, skill: 7, record: 7, documents: 7, ethics: -1 }) },
    })
    expect(tooHigh.status).toBe(400)
    expect(tooHigh.data).toMatchObject({
      errors: { 'p.law': 'gradingReview.error.pointsRange', 'p.ethics': 'gradingReview.error.pointsWhole' },
      input: { points: { law: '11', skill: '7' } },
    })
    const fraction = await call(scoreRoute.action, `/grading/reviews/${a!.id}`, {
      cookie: a!.cookie,
      params: { assignmentId: a!.id },
      form: { intent: 'submit', ...scoreForm(f.config, { law: 7.5, skill: 7, record: 7, documents: 7, ethics: 7 }) },
    })
    expect(fraction.data).toMatchObject({ errors: { 'p.law': 'gradingReview.error.pointsWhole' } })
    const noComment = await call(scoreRoute.action, `/grading/reviews/${a!.id}`, {
      cookie: a!.cookie,
      params: { assignmentId: a!.id },
      form: { intent: 'submit', ...scoreForm(f.config, 7), 'c.law': '  ' },
    })
    expect(noComment.data).toMatchObject({ errors: { 'c.law': 'gradingReview.error.commentRequired' } })
    expect(
      await db().selectFrom('grading_assignments').select(['status', 'scores']).where('id', '=', a!.id).executeTakeFirstOrThrow(),
    ).toEqual({
      status: 'assigned',
      scores: null,
    })
  })

  it('submits once; a second submit or an edit is refused; others’ scores show only after one’s own', async () => {
    const rows = await assigned(f, f.apps.hdMediator2)
    for (const r of rows) await calibrate(db(), f, r.reviewer_user_id).catch(() => undefined)
    const [first, second] = rows
    const ok = await call(scoreRoute.action, `/grading/reviews/${first!.id}`, {
      cookie: first!.cookie,
      params: { assignmentId: first!.id },
      form: { intent: 'submit', ...scoreForm(f.config, 7) },
    })
    expect(ok.status).toBe(302)
    const stored = await db().selectFrom('grading_assignments').selectAll().where('id', '=', first!.id).executeTakeFirstOrThrow()
    expect(stored).toMatchObject({ status: 'submitted', total: 7000 })
    expect(JSON.parse(stored.scores!).law).toEqual({ points: 700, comment: '法律政策运用：依据充分' })
    // The second reviewer has not submitted: they do not see the first's scores.
    const before = await call(scoreRoute.loader, `/grading/reviews/${second!.id}`, {
      cookie: second!.cookie,
      params: { assignmentId: second!.id },
    })
    expect(before.data).toMatchObject({ assignment: { others: [], mine: null } })
    expect(serialized(before)).not.toContain('依据充分')
    // Edit / double submit.
    const edit = await call(scoreRoute.action, `/grading/reviews/${first!.id}`, {
      cookie: first!.cookie,
      params: { assignmentId: first!.id },
      form: { intent: 'submit', ...scoreForm(f.config, 9) },
    })
    expect(edit.status).toBe(409)
    expect(serialized(edit)).toContain('gradingReview.error.alreadySubmitted')
    expect((await db().selectFrom('grading_assignments').select('total').where('id', '=', first!.id).executeTakeFirstOrThrow()).total).toBe(
      7000,
    )
    // After submitting, the second reviewer sees the first's scores (anonymously).
    await call(scoreRoute.action, `/grading/reviews/${second!.id}`, {
      cookie: second!.cookie,
      params: { assignmentId: second!.id },
      form: { intent: 'submit', ...scoreForm(f.config, 8) },
    })
    const after = await call(scoreRoute.loader, `/grading/reviews/${second!.id}`, {
      cookie: second!.cookie,
      params: { assignmentId: second!.id },
    })
    expect(after.data).toMatchObject({ assignment: { mine: { total: 8000 }, others: [{ label: 'A', total: 7000 }] } })
    expect(serialized(after)).not.toContain(f.reviewers.find((r) => r.id === first!.reviewer_user_id)!.name)
  })

  it('scores the application when the last review is in and they agree', async () => {
    const rows = await assigned(f, f.apps.hdMediator2)
    const last = rows.find((r) => r.status === 'assigned')!
    const res = await call(scoreRoute.action, `/grading/reviews/${last.id}`, {
      cookie: last.cookie,
      params: { assignmentId: last.id },
      form: { intent: 'submit', ...scoreForm(f.config, 8) },
    })
    expect(res.status).toBe(302)
    // totals 70.00, 80.00, 80.00 (spread 10.00 ≤ 15.00; per criterion 2.50 ≤ 10.00): mean 76.67
    expect(await application(f.apps.hdMediator2)).toMatchObject({ status: 'scored', final_score: 7667 })
  })

  it('sends a discrepant application to one extra reviewer, then scores it', async () => {
    const rows = await assigned(f, f.apps.hdMediator)
    for (const r of rows) await calibrate(db(), f, r.reviewer_user_id).catch(() => undefined)
    const points = [4, 7, 9] // totals 40.00, 70.00, 90.00: spread 50.00 > 15.00
    for (const [i, r] of rows.entries()) {
      const res = await call(scoreRoute.action, `/grading/reviews/${r.id}`, {
        cookie: r.cookie,
        params: { assignmentId: r.id },
        form: { intent: 'submit', ...scoreForm(f.config, points[i]!) },
      })
      expect(res.status).toBe(302)
    }
    const extra = (await assigned(f, f.apps.hdMediator)).filter((r) => r.reason === 'discrepancy')
    expect(extra).toHaveLength(1)
    // Never the reviewer from hdCommittee (the applicant's organisation), never one already on it.
    expect(extra[0]!.reviewer_user_id).not.toBe(f.reviewers[0]!.id)
    expect(rows.map((r) => r.reviewer_user_id)).not.toContain(extra[0]!.reviewer_user_id)
    expect(await application(f.apps.hdMediator)).toMatchObject({ status: 'eligible', final_score: null })
    expect(await pendingReviewCount(db(), f.roundId)).toBeGreaterThan(0)
    await calibrate(db(), f, extra[0]!.reviewer_user_id).catch(() => undefined)
    await call(scoreRoute.action, `/grading/reviews/${extra[0]!.id}`, {
      cookie: extra[0]!.cookie,
      params: { assignmentId: extra[0]!.id },
      form: { intent: 'submit', ...scoreForm(f.config, 6) },
    })
    // Still discrepant, but only one extra reviewer: scored with the mean of four
    // (4000 + 7000 + 9000 + 6000) / 4 = 6500.
    expect(await application(f.apps.hdMediator)).toMatchObject({ status: 'scored', final_score: 6500 })
    expect((await assigned(f, f.apps.hdMediator)).filter((r) => r.reason === 'discrepancy')).toHaveLength(1)
    // The panel page flags it.
    const panel = await call(panelRoute.loader, `/grading/rounds/${f.roundId}/panel`, {
      cookie: world.users.hdAssoc.cookie,
      params: { roundId: f.roundId },
    })
    expect(panel.status).toBe(200)
    const app = (
      panel.data as { view: { applications: { id: string; discrepancy: { discrepant: boolean; overallSpread: number } | null }[] } }
    ).view.applications.find((a) => a.id === f.apps.hdMediator)
    expect(app?.discrepancy).toMatchObject({ discrepant: true, overallSpread: 5000 })
  })
})

describe(`panel management (${testDialect()})`, () => {
  it('only the round’s association admin opens the panel page', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 3 })
    const path = `/grading/rounds/${f.roundId}/panel`
    expect((await call(panelRoute.loader, path, { cookie: world.users.hdAssoc.cookie, params: { roundId: f.roundId } })).status).toBe(200)
    expect((await call(panelRoute.loader, path, { cookie: world.users.reviewer.cookie, params: { roundId: f.roundId } })).status).toBe(403)
    expect((await call(panelRoute.loader, path, { cookie: world.users.hdStaff.cookie, params: { roundId: f.roundId } })).status).toBe(403)
  })

  it('adds and removes panel members who hold a reviewer grant in scope; refuses others', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 2, panel: false })
    const path = `/grading/rounds/${f.roundId}/panel`
    const opts = { cookie: world.users.hdAssoc.cookie, params: { roundId: f.roundId } }
    expect((await call(panelRoute.action, path, { ...opts, form: { intent: 'add-member', userId: f.reviewers[0]!.id } })).status).toBe(302)
    // Double submit: one row.
    await call(panelRoute.action, path, { ...opts, form: { intent: 'add-member', userId: f.reviewers[0]!.id } })
    const notReviewer = await call(panelRoute.action, path, { ...opts, form: { intent: 'add-member', userId: world.users.hdStaff.id } })
    expect(serialized(notReviewer)).toContain('gradingReview.error.notReviewer')
    const members = await db().selectFrom('grading_panel_members').selectAll().where('round_id', '=', f.roundId).execute()
    expect(members.map((m) => m.user_id)).toEqual([f.reviewers[0]!.id])
    expect((await call(panelRoute.action, path, { ...opts, form: { intent: 'remove-member', userId: f.reviewers[0]!.id } })).status).toBe(
      302,
    )
    expect(
      (await db().selectFrom('grading_panel_members').select('active').where('round_id', '=', f.roundId).executeTakeFirstOrThrow()).active,
    ).toBe(0)
    const audited = await db().selectFrom('audit_log').select('action').where('record_id', '=', f.roundId).execute()
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['grading.panel.add', 'grading.panel.remove']))
  })

  it('records the committee composition with a version check', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 1 })
    const path = `/grading/rounds/${f.roundId}/panel`
    const opts = { cookie: world.users.hdAssoc.cookie, params: { roundId: f.roundId } }
    const form = {
      intent: 'committee',
      version: '1',
      'name.0': '王主任',
      'affiliation.0': '海淀区司法局',
      'kind.0': 'bureau',
      'name.1': '李律师',
      'affiliation.1': '某律师事务所',
      'kind.1': 'legal',
    }
    expect((await call(panelRoute.action, path, { ...opts, form })).status).toBe(302)
    const stale = await call(panelRoute.action, path, { ...opts, form: { ...form, 'name.0': '张主任' } })
    expect(stale.status).toBe(409)
    expect(serialized(stale)).toContain('form.staleVersion')
    expect(serialized(stale)).toContain('张主任')
    const bad = await call(panelRoute.action, path, {
      ...opts,
      form: { intent: 'committee', version: '2', 'name.0': '赵', 'affiliation.0': '', 'kind.0': 'x' },
    })
    expect(bad.status).toBe(400)
    const round = await db()
      .selectFrom('grading_rounds')
      .select(['committee', 'version'])
      .where('id', '=', f.roundId)
      .executeTakeFirstOrThrow()
    expect(round.version).toBe(2)
    expect(JSON.parse(round.committee)).toEqual([
      { name: '王主任', affiliation: '海淀区司法局', kind: 'bureau' },
      { name: '李律师', affiliation: '某律师事务所', kind: 'legal' },
    ])
  })

  it('reassigns an unsubmitted review, never to a conflicted reviewer, never after submission', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 5 })
    await assignReviewers(db(), f.roundId, now())
    await db().updateTable('grading_rounds').set({ status: 'scoring' }).where('id', '=', f.roundId).execute()
    const path = `/grading/rounds/${f.roundId}/panel`
    const opts = { cookie: world.users.hdAssoc.cookie, params: { roundId: f.roundId } }
    const rows = await assigned(f, f.apps.hdOther)
    const free = f.reviewers.filter((r) => !rows.some((a) => a.reviewer_user_id === r.id))
    // hdOther is not in hdCommittee, so r0 may review it unless conflicted: add a conflict for the first free one.
    await addConflict(f, free[0]!.id, world.people.hdOther.id)
    const conflicted = await call(panelRoute.action, path, {
      ...opts,
      form: { intent: 'reassign', assignmentId: rows[0]!.id, toUserId: free[0]!.id },
    })
    expect(conflicted.status).toBe(409)
    expect(serialized(conflicted)).toContain('gradingReview.error.conflicted')
    const moved = await call(panelRoute.action, path, {
      ...opts,
      form: { intent: 'reassign', assignmentId: rows[0]!.id, toUserId: free[1]!.id },
    })
    expect(moved.status).toBe(302)
    const after = (await assignmentsOf(f.roundId)).filter((a) => a.application_id === f.apps.hdOther)
    expect(after.find((a) => a.id === rows[0]!.id)?.status).toBe('removed')
    expect(after.find((a) => a.reviewer_user_id === free[1]!.id)).toMatchObject({ reason: 'reassigned', status: 'assigned' })
    // A submitted review cannot be moved.
    const done = rows[1]!
    await calibrate(db(), f, done.reviewer_user_id)
    await call(scoreRoute.action, `/grading/reviews/${done.id}`, {
      cookie: done.cookie,
      params: { assignmentId: done.id },
      form: { intent: 'submit', ...scoreForm(f.config, 7) },
    })
    const late = await call(panelRoute.action, path, {
      ...opts,
      form: { intent: 'reassign', assignmentId: done.id, toUserId: rows[0]!.reviewer_user_id },
    })
    expect(serialized(late)).toContain('gradingReview.error.alreadySubmitted')
    // The reviewer who has work cannot leave the panel.
    const leave = await call(panelRoute.action, path, { ...opts, form: { intent: 'remove-member', userId: free[1]!.id } })
    expect(serialized(leave)).toContain('gradingReview.error.memberHasWork')
  })

  it('moves a pending review when a conflict is declared (by the admin or by the reviewer recusing)', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 6 })
    await assignReviewers(db(), f.roundId, now())
    await db().updateTable('grading_rounds').set({ status: 'scoring' }).where('id', '=', f.roundId).execute()
    const path = `/grading/rounds/${f.roundId}/panel`
    const rows = await assigned(f, f.apps.hdOther)
    const res = await call(panelRoute.action, path, {
      cookie: world.users.hdAssoc.cookie,
      params: { roundId: f.roundId },
      form: { intent: 'conflict', userId: rows[0]!.reviewer_user_id, applicationId: f.apps.hdOther, reason: '曾为同事' },
    })
    expect(res.status).toBe(302)
    const live = await assigned(f, f.apps.hdOther)
    expect(live).toHaveLength(3)
    expect(live.map((r) => r.reviewer_user_id)).not.toContain(rows[0]!.reviewer_user_id)
    // Recusal from the blind page: the reviewer never names the applicant.
    const recuser = live[0]!
    const recused = await call(scoreRoute.action, `/grading/reviews/${recuser.id}`, {
      cookie: recuser.cookie,
      params: { assignmentId: recuser.id },
      form: { intent: 'recuse', reason: '从材料中认出申请人' },
    })
    expect(recused.status).toBe(302)
    const conflicts = await db().selectFrom('grading_reviewer_conflicts').selectAll().where('round_id', '=', f.roundId).execute()
    expect(conflicts.map((c) => [c.user_id, c.person_id])).toEqual(
      expect.arrayContaining([
        [rows[0]!.reviewer_user_id, world.people.hdOther.id],
        [recuser.reviewer_user_id, world.people.hdOther.id],
      ]),
    )
    expect((await assigned(f, f.apps.hdOther)).map((r) => r.reviewer_user_id)).not.toContain(recuser.reviewer_user_id)
  })
})

describe(`ranking (${testDialect()})`, () => {
  it('ranks per grade with quotas, the pass score and the tie rule', async () => {
    const f = await createReviewRound(db(), world, { status: 'scoring', reviewers: 3 })
    const reviewers = f.reviewers.map((r) => r.id)
    // Submitted reviews written directly: hdMediator and hdMediator2 tie on 80.00 and on the first
    // criterion; hdMediator has more disputes (120 vs 80) so ranks first. hdOther scores 55.00.
    const plan: [string, Record<string, number>[]][] = [
      [
        f.apps.hdMediator,
        [
          { law: 8, skill: 8, record: 8, documents: 8, ethics: 8 },
          ...Array(2).fill({ law: 8, skill: 8, record: 8, documents: 8, ethics: 8 }),
        ],
      ],
      [f.apps.hdMediator2, Array(3).fill({ law: 8, skill: 8, record: 8, documents: 8, ethics: 8 })],
      [f.apps.hdOther, Array(3).fill({ law: 5, skill: 5, record: 6, documents: 6, ethics: 5 })],
    ]
    for (const [appId, reviews] of plan) {
      for (const [i, points] of reviews.entries()) {
        const total = Object.entries(points).reduce((s, [k, p]) => s + p * f.config.rubric.find((c) => c.key === k)!.weight * 10, 0)
        await db()
          .insertInto('grading_assignments')
          .values({
            id: newId(),
            application_id: appId,
            round_id: f.roundId,
            reviewer_user_id: reviewers[i]!,
            reason: 'initial',
            status: 'submitted',
            scores: JSON.stringify(Object.fromEntries(Object.entries(points).map(([k, p]) => [k, { points: p * 100, comment: '好' }]))),
            total,
            assigned_at: now(),
            submitted_at: now(),
          })
          .execute()
      }
      await db().updateTable('grading_applications').set({ status: 'scored' }).where('id', '=', appId).execute()
    }
    await db()
      .transaction()
      .execute((trx) => rankRound(trx, f.roundId, f.config, { '4': 1 }))
    const first = await application(f.apps.hdMediator)
    const second = await application(f.apps.hdMediator2)
    const third = await application(f.apps.hdOther)
    expect(first).toMatchObject({ status: 'proposed', rank_in_grade: 1, final_score: 8000, outcome_reason: null })
    expect(second).toMatchObject({ status: 'not_awarded', rank_in_grade: 2, final_score: 8000 })
    expect(second.outcome_reason).toContain('名额 1 名')
    // 5·25 + 5·25 + 6·20 + 6·15 + 5·15 = 535 → 53.50 < 60.00
    expect(third).toMatchObject({ status: 'not_awarded', rank_in_grade: 3, final_score: 5350 })
    expect(third.outcome_reason).toContain('60.00')
  })
})

describe(`concurrent submits (${testDialect()})`, () => {
  it('two reviewers finishing at once settle the application exactly once', async () => {
    const f = await createReviewRound(db(), world, { status: 'eligibility', reviewers: 6 })
    await assignReviewers(db(), f.roundId, now())
    await db().updateTable('grading_rounds').set({ status: 'scoring' }).where('id', '=', f.roundId).execute()
    const rows = await assigned(f, f.apps.hdOther)
    for (const r of rows) await calibrate(db(), f, r.reviewer_user_id).catch(() => undefined)
    const submit = (r: (typeof rows)[number], points: number) =>
      call(scoreRoute.action, `/grading/reviews/${r.id}`, {
        cookie: r.cookie,
        params: { assignmentId: r.id },
        form: { intent: 'submit', ...scoreForm(f.config, points) },
      })
    await submit(rows[0]!, 2)
    // The last two at once, disagreeing with the first (20.00 vs 90.00): exactly one extra reviewer.
    const results = await Promise.all([submit(rows[1]!, 9), submit(rows[2]!, 9)])
    expect(results.map((r) => r.status)).toEqual([302, 302])
    const live = await assigned(f, f.apps.hdOther)
    expect(live.filter((r) => r.status === 'submitted')).toHaveLength(3)
    expect(live.filter((r) => r.reason === 'discrepancy')).toHaveLength(1)
  })
})
