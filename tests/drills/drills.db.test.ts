/**
 * Drills end to end through the real loaders and actions: the answer key never reaches the
 * browser before submission, bad input changes nothing, limits and time limits hold, and graders
 * never learn who wrote a draft.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '#tests/fixtures/factories.ts'
import { newId } from '#app/lib/ids.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildWorld, CHAOYANG, call, cookieFor, HAIDIAN, serialized, type World } from '#tests/security/world.ts'
import * as attemptRoute from '#app/routes/_app.drills.$slug.attempts.$attemptId.tsx'
import * as drillRoute from '#app/routes/_app.drills.$slug._index.tsx'
import * as listRoute from '#app/routes/_app.drills._index.tsx'
import * as queueRoute from '#app/routes/_app.drills.grading._index.tsx'
import * as sheetRoute from '#app/routes/_app.drills.grading.$attemptId.tsx'
import { drillEvidence, completedDrills, startAttempt } from '#app/modules/drills/attempts.server.ts'
import { getDrill, loadDrills } from '#app/modules/drills/content.server.ts'
import type { Quiz, Scenario } from '#app/modules/drills/model.ts'

const QUIZ = 'quiz-renmin-tiaojie-fa'
const SCENARIO = 'scenario-linli-loushui'
const DRAFTING = 'drafting-xieyi-chongwu-yaoshang'

let world: World
let mediatorCookie: string
let reviewerCookie: string

beforeAll(async () => {
  world = await buildWorld(testDb())
  mediatorCookie = world.users.mediator.cookie
  reviewerCookie = world.users.reviewer.cookie
})

async function start(slug: string, cookie = mediatorCookie): Promise<string> {
  const outcome = await call(drillRoute.action, `/drills/${slug}`, { params: { slug }, cookie, form: { intent: 'start' } })
  expect(outcome.status).toBe(302)
  const match = /\/attempts\/([0-9A-Z]{26})$/.exec(outcome.location ?? '')
  expect(match, outcome.location ?? '').not.toBeNull()
  return match![1]!
}

const attemptPath = (slug: string, id: string) => `/drills/${slug}/attempts/${id}`
const attemptRow = (id: string) => testDb().selectFrom('drill_attempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe(`quizzes (${testDialect()})`, () => {
  it('lists the drills for a mediator and refuses people without drill:take', async () => {
    const list = await call(listRoute.loader, '/drills', { cookie: mediatorCookie })
    expect(serialized(list)).toContain(QUIZ)
    const denied = await call(listRoute.loader, '/drills', { cookie: world.users.reviewer.cookie })
    expect(denied.status).toBe(403)
  })

  it('never sends answers, explanations or the debrief before submission; shows them after', async () => {
    const drill = (await getDrill(testDb(), QUIZ))!
    const quiz = drill.structure as Quiz
    const id = await start(QUIZ)
    const before = await call(attemptRoute.loader, attemptPath(QUIZ, id), { params: { slug: QUIZ, attemptId: id }, cookie: mediatorCookie })
    expect(before.status).toBe(200)
    const text = serialized(before)
    for (const item of quiz.items) {
      expect(text).not.toContain(item.explanation)
      if (item.type === 'fill') for (const accepted of item.accepted) expect(text).not.toContain(`"${accepted}"`)
    }
    expect(text).not.toMatch(/"answer"|"accepted"|"explanation"|"key"/)
    expect(text).not.toContain('讲评')
    const row = await attemptRow(id)
    const drawn = JSON.parse(row.items!) as string[]
    expect(drawn).toHaveLength(quiz.draw!)

    // Answer every drawn item correctly, then submit.
    const form = new URLSearchParams({ intent: 'submit' })
    for (const itemId of drawn) {
      const item = quiz.items.find((i) => i.id === itemId)!
      if (item.type === 'single') form.append(`a.${itemId}`, String(item.answer))
      if (item.type === 'multiple') for (const a of item.answer) form.append(`a.${itemId}`, String(a))
      if (item.type === 'truefalse') form.append(`a.${itemId}`, String(item.answer))
      if (item.type === 'fill') form.append(`a.${itemId}`, item.accepted[0]!)
    }
    const submitted = await call(attemptRoute.action, attemptPath(QUIZ, id), {
      params: { slug: QUIZ, attemptId: id },
      cookie: mediatorCookie,
      form,
    })
    expect(submitted.status).toBe(302)
    const graded = await attemptRow(id)
    expect(graded).toMatchObject({ status: 'graded', score: 100, passed: 1 })
    const after = serialized(
      await call(attemptRoute.loader, attemptPath(QUIZ, id), { params: { slug: QUIZ, attemptId: id }, cookie: mediatorCookie }),
    )
    const first = quiz.items.find((i) => i.id === drawn[0])!
    expect(after).toContain(first.explanation)
    expect(after).toContain('强制执行力')

    // A second submit of the same attempt is refused and changes nothing.
    const again = await call(attemptRoute.action, attemptPath(QUIZ, id), {
      params: { slug: QUIZ, attemptId: id },
      cookie: mediatorCookie,
      form: { intent: 'submit' },
    })
    expect(again.status).toBe(409)
    expect(again.data).toEqual({ error: 'drills.error.alreadySubmitted' })
    expect(await attemptRow(id)).toEqual(graded)
  })

  it('refuses answers to items not in the attempt, and submissions after the time limit', async () => {
    const id = await start(QUIZ)
    const before = await attemptRow(id)
    const drawn = JSON.parse(before.items!) as string[]
    const quiz = (await getDrill(testDb(), QUIZ))!.structure as Quiz
    const outsider = quiz.items.find((i) => !drawn.includes(i.id))!.id
    const bad = await call(attemptRoute.action, attemptPath(QUIZ, id), {
      params: { slug: QUIZ, attemptId: id },
      cookie: mediatorCookie,
      form: { intent: 'save', [`a.${outsider}`]: '0' },
    })
    expect(bad.data).toEqual({ error: 'drills.error.unknownItem' })
    expect(await attemptRow(id)).toEqual(before)

    // Saving works (no JavaScript needed: a plain form post), then the clock runs out.
    const saved = await call(attemptRoute.action, attemptPath(QUIZ, id), {
      params: { slug: QUIZ, attemptId: id },
      cookie: mediatorCookie,
      form: { intent: 'save', [`a.${drawn[0]}`]: '0' },
    })
    expect(saved.status).toBe(302)
    expect(JSON.parse((await attemptRow(id)).answers)).toEqual({ [drawn[0]!]: ['0'] })
    await testDb()
      .updateTable('drill_attempts')
      .set({ deadline_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', id)
      .execute()
    const expired = await attemptRow(id)
    const late = await call(attemptRoute.action, attemptPath(QUIZ, id), {
      params: { slug: QUIZ, attemptId: id },
      cookie: mediatorCookie,
      form: { intent: 'submit' },
    })
    expect(late.data).toEqual({ error: 'drills.error.late' })
    expect(await attemptRow(id)).toEqual(expired)
  })

  it('limits attempts per drill (the limit is in the drill file)', async () => {
    // Two attempts exist (one graded, one expired); the third is the last allowed.
    const third = await start(QUIZ)
    await testDb()
      .updateTable('drill_attempts')
      .set({ status: 'graded', score: 40, passed: 0, graded_at: new Date().toISOString() })
      .where('id', '=', third)
      .execute()
    const refused = await call(drillRoute.action, `/drills/${QUIZ}`, {
      params: { slug: QUIZ },
      cookie: mediatorCookie,
      form: { intent: 'start' },
    })
    expect(refused.location).toBe(`/drills/${QUIZ}`)
    const rows = await testDb()
      .selectFrom('drill_attempts')
      .select('id')
      .where('person_id', '=', world.people.hdMediator.id)
      .where('drill_slug', '=', QUIZ)
      .execute()
    expect(rows).toHaveLength(3)
    const evidence = await drillEvidence(testDb(), world.people.hdMediator.id)
    expect(evidence.drills.find((d) => d.slug === QUIZ)).toEqual({ slug: QUIZ, attempts: 3, best: 100, latest: 40, passed: true })
    const archive = await completedDrills(testDb(), world.people.hdMediator.id, await loadDrills(testDb()))
    expect(archive.find((d) => d.slug === QUIZ)).toMatchObject({ best: 100, passed: true, creditHours: 0.5 })
  })

  it("answers 404 for someone else's attempt", async () => {
    const other = await createUser(testDb(), {
      username: 't.cy.mediator',
      roles: [{ role: 'mediator' }],
      personId: world.people.cyMediator.id,
    })
    const otherCookie = await cookieFor(other.user.id)
    const id = await start(QUIZ, otherCookie)
    const peek = await call(attemptRoute.loader, attemptPath(QUIZ, id), { params: { slug: QUIZ, attemptId: id }, cookie: mediatorCookie })
    expect(peek.status).toBe(404)
    expect(peek.data).toBeNull()
  })
})

describe(`scenarios (${testDialect()})`, () => {
  it('walks to an ending one step at a time, with no scores or next nodes sent before the end', async () => {
    const scenario = (await getDrill(testDb(), SCENARIO))!.structure as Scenario
    const id = await start(SCENARIO)
    const params = { slug: SCENARIO, attemptId: id }
    const first = serialized(await call(attemptRoute.loader, attemptPath(SCENARIO, id), { params, cookie: mediatorCookie }))
    expect(first).not.toMatch(/"scores"|"next"|"倾听":/)
    for (const node of scenario.nodes) {
      if (node.outcome) expect(first).not.toContain(node.outcome)
      for (const choice of node.choices) if (choice.feedback) expect(first).not.toContain(choice.feedback)
    }
    const bad = await call(attemptRoute.action, attemptPath(SCENARIO, id), {
      params,
      cookie: mediatorCookie,
      form: { intent: 'choose', choice: 'zz' },
    })
    expect(bad.data).toEqual({ error: 'drills.error.unknownChoice' })
    // Always take the first choice: n01 a → n02 a → n04 a → n05 a → n07 a → n08 a → n10 a → n12 a → n13 a → e1.
    for (let step = 0; step < 20; step++) {
      const row = await attemptRow(id)
      if (row.status !== 'in_progress') break
      const outcome = await call(attemptRoute.action, attemptPath(SCENARIO, id), {
        params,
        cookie: mediatorCookie,
        form: { intent: 'choose', choice: 'a' },
      })
      expect(outcome.status).toBe(302)
    }
    const done = await attemptRow(id)
    expect(done).toMatchObject({ status: 'graded', score: 100, passed: 1 })
    expect(JSON.parse(done.result!).end).toBe('e1')
    const after = serialized(await call(attemptRoute.loader, attemptPath(SCENARIO, id), { params, cookie: mediatorCookie }))
    expect(after).toContain(scenario.nodes.find((n) => n.id === 'e1')!.outcome!)
    expect(after).toContain('loushang-loushui-zhuangxiu-peichang')
  })
})

describe(`drafting and grading (${testDialect()})`, () => {
  const DRAFT = `人民调解协议书
申请人：张淑芬，女，1962年3月出生，住址：某小区6号楼。被申请人：刘宇，男，住址：某小区8号楼。
纠纷主要事实：犬只咬伤申请人左小腿。经调解，双方自愿达成如下协议：被申请人赔偿4600元。
履行方式、期限：2026年11月30日前银行转账2600元，2026年12月31日前转账2000元。
自双方签名、调解员签名并加盖人民调解委员会印章之日起生效。`

  it('submits a draft, grades it anonymously, refuses out-of-range scores, and shows the feedback', async () => {
    const db = testDb()
    const id = await start(DRAFTING)
    const params = { slug: DRAFTING, attemptId: id }
    const submitted = await call(attemptRoute.action, attemptPath(DRAFTING, id), {
      params,
      cookie: mediatorCookie,
      form: { intent: 'submit', text: DRAFT },
    })
    expect(submitted.status).toBe(302)
    expect(await attemptRow(id)).toMatchObject({ status: 'submitted' })

    // The reviewer sees it in the queue and on the sheet, with nothing that identifies the author.
    const queue = await call(queueRoute.loader, '/drills/grading', { cookie: reviewerCookie })
    const sheet = await call(sheetRoute.loader, `/drills/grading/${id}`, { params: { attemptId: id }, cookie: reviewerCookie })
    expect(sheet.status).toBe(200)
    const person = world.people.hdMediator
    for (const data of [serialized(queue), serialized(sheet)]) {
      expect(data).toContain(id)
      for (const secret of [person.name, person.id, world.users.mediator.id, 't.mediator', world.orgs.hdCommittee, '海淀测试调委会'])
        expect(data).not.toContain(secret)
    }
    expect(serialized(sheet)).toContain('"signatures":true')
    // Mediators cannot open the grading pages.
    expect((await call(queueRoute.loader, '/drills/grading', { cookie: mediatorCookie })).status).toBe(403)

    // Out of range: nothing written.
    const tooHigh = await call(sheetRoute.action, `/drills/grading/${id}`, {
      params: { attemptId: id },
      cookie: reviewerCookie,
      form: { intent: 'save', 'p.elements': '21', 'c.elements': '' },
    })
    expect(tooHigh.status).toBe(400)
    expect((tooHigh.data as { error: string }).error).toBe('drills.grading.outOfRange')
    expect(await db.selectFrom('drill_grades').selectAll().where('attempt_id', '=', id).execute()).toEqual([])

    // Save (total computed on the server), then finalise.
    const scores = { 'p.elements': '18', 'p.facts': '13', 'p.law': '12', 'p.terms': '17', 'p.language': '9', 'c.terms': '付款期限明确。' }
    const saved = await call(sheetRoute.action, `/drills/grading/${id}`, {
      params: { attemptId: id },
      cookie: reviewerCookie,
      form: { intent: 'save', ...scores },
    })
    expect(saved.status).toBe(302)
    const draft = await db.selectFrom('drill_grades').selectAll().where('attempt_id', '=', id).executeTakeFirstOrThrow()
    // (18 + 13 + 12 + 17×2 + 9×0.5) / (20 + 15 + 15 + 40 + 5) = 81.5 / 95
    expect(draft).toMatchObject({ status: 'draft', total_tenths: 815, percent: 86 })
    const final = await call(sheetRoute.action, `/drills/grading/${id}`, {
      params: { attemptId: id },
      cookie: reviewerCookie,
      form: { intent: 'finalise', comment: '整体规范。', ...scores },
    })
    expect(final.location).toBe('/drills/grading')
    expect(await attemptRow(id)).toMatchObject({ status: 'graded', score: 86, passed: 1 })

    // A finalised sheet cannot be changed.
    const late = await call(sheetRoute.action, `/drills/grading/${id}`, {
      params: { attemptId: id },
      cookie: reviewerCookie,
      form: { intent: 'save', ...scores, 'p.facts': '1' },
    })
    expect(late.status).toBe(400)

    // The mediator reads scores and comments.
    const feedback = serialized(await call(attemptRoute.loader, attemptPath(DRAFTING, id), { params, cookie: mediatorCookie }))
    expect(feedback).toContain('付款期限明确。')
    expect(feedback).toContain('整体规范。')
    expect(feedback).not.toContain(world.users.reviewer.id)
  })

  it('returns a draft for revision; the author edits and resubmits', async () => {
    const db = testDb()
    const drill = (await getDrill(db, DRAFTING))!
    // Second (and last) attempt at this drill.
    const started = await startAttempt(db, drill, { personId: world.people.hdMediator.id, userId: world.users.mediator.id })
    expect(started.ok).toBe(true)
    const id = started.ok ? started.value.id : ''
    await call(attemptRoute.action, attemptPath(DRAFTING, id), {
      params: { slug: DRAFTING, attemptId: id },
      cookie: mediatorCookie,
      form: { intent: 'submit', text: DRAFT },
    })
    const all = { 'p.elements': '8', 'p.facts': '8', 'p.law': '8', 'p.terms': '8', 'p.language': '5', 'c.elements': '缺少身份证号码。' }
    const returned = await call(sheetRoute.action, `/drills/grading/${id}`, {
      params: { attemptId: id },
      cookie: reviewerCookie,
      form: { intent: 'return', ...all },
    })
    expect(returned.status).toBe(302)
    expect(await attemptRow(id)).toMatchObject({ status: 'in_progress', revision: 1 })
    const page = serialized(
      await call(attemptRoute.loader, attemptPath(DRAFTING, id), { params: { slug: DRAFTING, attemptId: id }, cookie: mediatorCookie }),
    )
    expect(page).toContain('缺少身份证号码。')
    const resubmitted = await call(attemptRoute.action, attemptPath(DRAFTING, id), {
      params: { slug: DRAFTING, attemptId: id },
      cookie: mediatorCookie,
      form: { intent: 'submit', text: `${DRAFT}\n公民身份号码××` },
    })
    expect(resubmitted.status).toBe(302)
    expect(await attemptRow(id)).toMatchObject({ status: 'submitted', revision: 1 })
    expect(await db.selectFrom('drill_grades').select('status').where('attempt_id', '=', id).execute()).toEqual([{ status: 'draft' }])
    // No attempts left: the start action refuses.
    const refused = await call(drillRoute.action, `/drills/${DRAFTING}`, { params: { slug: DRAFTING }, cookie: mediatorCookie, form: {} })
    expect(refused.location).toBe(`/drills/${DRAFTING}`)
  })

  it('two graders: both sheets count, the difference is flagged, a third grader is refused', async () => {
    const db = testDb()
    const slug = 'drafting-xieyi-laodong-qianxin'
    const id = await start(slug)
    await call(attemptRoute.action, attemptPath(slug, id), {
      params: { slug, attemptId: id },
      cookie: mediatorCookie,
      form: { intent: 'submit', text: DRAFT },
    })
    const second = await createUser(db, { username: 't.reviewer2', roles: [{ role: 'reviewer', regionCode: HAIDIAN }] })
    const third = await createUser(db, { username: 't.reviewer3', roles: [{ role: 'reviewer', regionCode: HAIDIAN }] })
    const secondCookie = await cookieFor(second.user.id)
    const thirdCookie = await cookieFor(third.user.id)
    const high = { 'p.elements': '20', 'p.parties': '10', 'p.facts': '15', 'p.terms': '20', 'p.language': '10' }
    const low = { 'p.elements': '10', 'p.parties': '5', 'p.facts': '8', 'p.terms': '10', 'p.language': '6' }
    const grade = (cookie: string, scores: Record<string, string>) =>
      call(sheetRoute.action, `/drills/grading/${id}`, { params: { attemptId: id }, cookie, form: { intent: 'finalise', ...scores } })
    expect((await grade(reviewerCookie, high)).status).toBe(302)
    // One final sheet of two: not graded yet.
    expect(await attemptRow(id)).toMatchObject({ status: 'submitted', score: null })
    expect((await grade(secondCookie, low)).status).toBe(302)
    const graded = await attemptRow(id)
    // 100% and (10+5+8+20+3)/(20+10+15+40+5) = 46/90 = 51%: average 76, difference 49 > 15.
    expect(graded).toMatchObject({ status: 'graded', score: 76, passed: 1 })
    expect(JSON.parse(graded.result!)).toEqual({ graders: 2, difference: 49, flagged: true })
    const queue = serialized(await call(queueRoute.loader, '/drills/grading', { cookie: reviewerCookie }))
    expect(queue).toContain('"difference":49')
    const refused = await grade(thirdCookie, high)
    expect(refused.status).toBe(400)
    expect((refused.data as { error: string }).error).toBe('drills.grading.notOpen')
    expect(await db.selectFrom('drill_grades').select('grader_user_id').where('attempt_id', '=', id).execute()).toHaveLength(2)
  })
})

describe(`grading scope: reviewers reach their region (${testDialect()})`, () => {
  const TEXT = `人民调解协议书
申请人：某甲，女，住址：某小区6号楼。被申请人：某乙，男，住址：某小区8号楼。
纠纷主要事实：犬只咬伤申请人左小腿。经调解，双方自愿达成如下协议：被申请人赔偿1000元。
自双方签名、调解员签名并加盖人民调解委员会印章之日起生效。`

  /** A mediator account for a world person, who starts and submits a drafting attempt. */
  async function submittedBy(username: string, personId: string): Promise<string> {
    const { user } = await createUser(testDb(), { username, roles: [{ role: 'mediator' }], personId })
    const cookie = await cookieFor(user.id)
    const id = await start(DRAFTING, cookie)
    const submitted = await call(attemptRoute.action, attemptPath(DRAFTING, id), {
      params: { slug: DRAFTING, attemptId: id },
      cookie,
      form: { intent: 'submit', text: TEXT },
    })
    expect(submitted.status).toBe(302)
    expect(await attemptRow(id)).toMatchObject({ status: 'submitted' })
    return id
  }

  it('a reviewer scoped to 海淀 sees Haidian submissions, gets 404 (audited) for Chaoyang ones; no region reaches nothing', async () => {
    const db = testDb()
    const hdId = await submittedBy('t.hd.drafter', world.people.hdOther.id)
    const cyId = await submittedBy('t.cy.drafter', world.people.cyMediator.id)
    expect((await attemptRow(cyId)).org_id).toBe(world.orgs.cyCommittee)

    const queue = await call(queueRoute.loader, '/drills/grading', { cookie: reviewerCookie })
    const ids = (queue.data as { queue: { attemptId: string }[] }).queue.map((e) => e.attemptId)
    expect(ids).toContain(hdId)
    expect(ids).not.toContain(cyId)
    // Still anonymous: nothing about the author or their organisation or region.
    const text = serialized(queue)
    for (const secret of [world.people.hdOther.name, world.people.hdOther.id, world.orgs.hdCommittee2, '海淀第二调委会', HAIDIAN, CHAOYANG])
      expect(text).not.toContain(secret)

    expect((await call(sheetRoute.loader, `/drills/grading/${hdId}`, { params: { attemptId: hdId }, cookie: reviewerCookie })).status).toBe(
      200,
    )
    const outside = { params: { attemptId: cyId }, cookie: reviewerCookie }
    expect((await call(sheetRoute.loader, `/drills/grading/${cyId}`, outside)).status).toBe(404)
    const all = { 'p.elements': '8', 'p.facts': '8', 'p.law': '8', 'p.terms': '8', 'p.language': '5' }
    expect((await call(sheetRoute.action, `/drills/grading/${cyId}`, { ...outside, form: { intent: 'finalise', ...all } })).status).toBe(
      404,
    )
    expect(await db.selectFrom('drill_grades').select('id').where('attempt_id', '=', cyId).execute()).toEqual([])
    const audited = await db
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('record_id', '=', cyId)
      .where('user_id', '=', world.users.reviewer.id)
      .execute()
    expect(audited).toContainEqual({ action: 'authz.out_of_scope', result: 'denied' })

    // A Beijing reviewer reaches both.
    const { user: bj } = await createUser(db, { username: 't.reviewer.bj', roles: [{ role: 'reviewer', regionCode: '110000' }] })
    const bjQueue = await call(queueRoute.loader, '/drills/grading', { cookie: await cookieFor(bj.id) })
    expect((bjQueue.data as { queue: { attemptId: string }[] }).queue.map((e) => e.attemptId)).toEqual(expect.arrayContaining([hdId, cyId]))

    // A reviewer grant stored without a region (before grants were scoped) reaches nothing.
    const { user: unscoped } = await createUser(db, { username: 't.reviewer.noregion', roles: [] })
    await db
      .insertInto('role_grants')
      .values({
        id: newId(),
        user_id: unscoped.id,
        role: 'reviewer',
        region_code: null,
        org_id: null,
        created_at: new Date().toISOString(),
        created_by: null,
      })
      .execute()
    const unscopedCookie = await cookieFor(unscoped.id)
    const empty = await call(queueRoute.loader, '/drills/grading', { cookie: unscopedCookie })
    expect((empty.data as { queue: unknown[] }).queue).toEqual([])
    expect((await call(sheetRoute.loader, `/drills/grading/${hdId}`, { params: { attemptId: hdId }, cookie: unscopedCookie })).status).toBe(
      404,
    )
  })
})
