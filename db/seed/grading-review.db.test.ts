import { beforeAll, describe, expect, it } from 'vitest'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { seedDemo } from './demo.ts'
import { REVIEW_DEMO_TITLE, seedGradingReview } from './grading-review.ts'
import { seedReferenceData } from './reference.ts'

beforeAll(async () => {
  await seedReferenceData(testDb())
  await seedDemo(testDb())
}, 120_000)

async function count(table: 'grading_rounds' | 'grading_applications' | 'grading_assignments' | 'grading_panel_members' | 'users') {
  const row = await testDb()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe(`review demo seed (${testDialect()})`, () => {
  it('creates a round in scoring with a staffed panel, and a second run writes nothing', async () => {
    const first = await seedGradingReview(testDb(), '2026-03-20')
    expect(first.inserted).toBe(3 + 9)
    const round = await testDb().selectFrom('grading_rounds').selectAll().where('title', '=', REVIEW_DEMO_TITLE).executeTakeFirstOrThrow()
    expect(round.status).toBe('scoring')
    const assignments = await testDb().selectFrom('grading_assignments').selectAll().where('round_id', '=', round.id).execute()
    const reviewer = await testDb().selectFrom('users').select('id').where('username', '=', 'reviewer').executeTakeFirstOrThrow()
    expect(assignments.filter((a) => a.reviewer_user_id === reviewer.id)).toHaveLength(3)
    const before = await Promise.all(
      (['grading_rounds', 'grading_applications', 'grading_assignments', 'grading_panel_members', 'users'] as const).map(count),
    )
    expect(await seedGradingReview(testDb(), '2026-03-20')).toEqual({ inserted: 0 })
    const after = await Promise.all(
      (['grading_rounds', 'grading_applications', 'grading_assignments', 'grading_panel_members', 'users'] as const).map(count),
    )
    expect(after).toEqual(before)
  })
})
