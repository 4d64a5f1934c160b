/**
 * No mass assignment on grade applications (security checklist 13, 15), on the demo data set's
 * open Beijing round: the demo mediator applies with `status`, `version`, score, organisation and
 * eligibility fields added, and for somebody else. Only the mediator's own application is made,
 * as submitted, with what the server derived.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { action as applyAction } from '#app/routes/_app.grading.rounds.$roundId_.apply.tsx'
import { GRADING_DEMO_TITLE, seedGrading } from '#db/seed/grading.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { seedDemo, seedReferenceData } from '#tests/fixtures/factories.ts'
import { call, cookieFor } from './world.ts'

let roundId: string
let mediator: { id: string; personId: string; orgId: string; cookie: string }
let otherPersonId: string

beforeAll(async () => {
  const db = testDb()
  await seedReferenceData(db)
  await seedDemo(db)
  await seedGrading(db)
  roundId = (await db.selectFrom('grading_rounds').select('id').where('title', '=', GRADING_DEMO_TITLE).executeTakeFirstOrThrow()).id
  const user = await db
    .selectFrom('users as u')
    .innerJoin('mediators as m', 'm.person_id', 'u.person_id')
    .select(['u.id', 'u.person_id', 'm.org_id'])
    .where('u.username', '=', 'mediator')
    .executeTakeFirstOrThrow()
  mediator = { id: user.id, personId: user.person_id!, orgId: user.org_id, cookie: await cookieFor(user.id) }
  otherPersonId = (
    await db
      .selectFrom('mediators')
      .select('person_id')
      .where('person_id', '!=', mediator.personId)
      .orderBy('person_id')
      .executeTakeFirstOrThrow()
  ).person_id
}, 120_000)

const apply = (form: Record<string, string>) =>
  call(applyAction, `/grading/rounds/${roundId}/apply`, { cookie: mediator.cookie, params: { roundId }, form })

const applications = () => testDb().selectFrom('grading_applications').selectAll().where('round_id', '=', roundId).execute()

describe(`grade applications (${testDialect()})`, () => {
  it('cannot be made for somebody else by naming them in the form', async () => {
    const before = await applications()
    const outcome = await apply({ personId: otherPersonId, gradeCode: '4', noCriminalConversion: 'on', noMisconduct: 'on' })
    expect(outcome.status).toBeOneOf([400, 403, 404])
    expect(await applications()).toEqual(before)
  })

  it('store what the server derives, whatever else is posted', async () => {
    const outcome = await apply({
      personId: mediator.personId,
      gradeCode: '4',
      noCriminalConversion: 'on',
      noMisconduct: 'on',
      id: newId(),
      status: 'approved',
      version: '42',
      org_id: newId(),
      orgId: newId(),
      score: '100',
      total: '100',
      rank: '1',
      eligibility: '{"eligible":true}',
      eligible: 'true',
      override: 'on',
      created_by: newId(),
      round_id: newId(),
    })
    expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
    const mine = (await applications()).filter((a) => a.person_id === mediator.personId)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ status: 'submitted', grade_code: '4', org_id: mediator.orgId, round_id: roundId, version: 1 })
    expect(outcome.location).toBe(`/grading/applications/${mine[0]!.id}`)
  })
})
