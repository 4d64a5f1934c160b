/**
 * The person page lists a mediator's accepted library cases (录用案例) with date and reviewer, for
 * whoever may view the person; drafts and submissions under review stay off it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { loader } from '#app/routes/_app.people.$personId.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld, call, HAIDIAN } from '#tests/security/world.ts'

let world: World

interface AcceptedCase {
  id: string
  title: string
  acceptedAt: string
  reviewerName: string | null
}

async function submission(personId: string, userId: string, title: string, status: 'accepted' | 'submitted', acceptedAt: string | null) {
  const id = newId()
  const now = new Date().toISOString()
  await testDb()
    .insertInto('library_submissions')
    .values({
      id,
      author_user_id: userId,
      author_person_id: personId,
      org_id: world.orgs.hdCommittee,
      scope_region_code: HAIDIAN,
      title,
      dispute_type: 'neighbour',
      domains: '[]',
      region_code: HAIDIAN,
      year: 2026,
      source: 'self',
      outcome: 'agreement',
      amount_range: 'none',
      techniques: '[]',
      legal_basis: '[]',
      tags: '[]',
      summary: '摘要',
      facts: '案情',
      process: '过程',
      result: '结果',
      commentary: '评析',
      status,
      revision: 1,
      version: 1,
      submitted_at: now,
      accepted_at: acceptedAt,
      accepted_by: acceptedAt ? world.users.hdAssoc.id : null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  if (status === 'accepted') {
    await testDb()
      .insertInto('library_reviews')
      .values({
        id: newId(),
        submission_id: id,
        revision: 1,
        reviewer_user_id: world.users.hdAssoc.id,
        reviewer_name: '王评审',
        decision: 'accept',
        scores: '{}',
        total: 24,
        comments: '',
        created_at: acceptedAt ?? now,
      })
      .execute()
  }
  return id
}

beforeAll(async () => {
  world = await buildWorld(testDb())
})

describe(`person page: accepted library cases (${testDialect()})`, () => {
  it('lists the accepted cases with acceptance date and reviewer, not those under review', async () => {
    const person = world.people.hdMediator
    const acceptedAt = '2026-10-01T02:00:00.000Z'
    const accepted = await submission(person.id, world.users.mediator.id, '邻里漏水纠纷调解', 'accepted', acceptedAt)
    await submission(person.id, world.users.mediator.id, '尚在评审的案例', 'submitted', null)

    for (const viewer of ['mediator', 'hdStaff', 'hdManager', 'admin'] as const) {
      const outcome = await call(loader, `/people/${person.id}`, { params: { personId: person.id }, cookie: world.users[viewer].cookie })
      expect(outcome.status, viewer).toBe(200)
      const cases = (outcome.data as { acceptedCases: AcceptedCase[] }).acceptedCases
      expect(cases, viewer).toEqual([{ id: accepted, title: '邻里漏水纠纷调解', acceptedAt, reviewerName: '王评审' }])
    }
  })

  it('shows an empty list for a mediator without accepted cases, and nothing to those out of scope', async () => {
    const other = world.people.hdMediator2
    const outcome = await call(loader, `/people/${other.id}`, { params: { personId: other.id }, cookie: world.users.hdStaff.cookie })
    expect((outcome.data as { acceptedCases: AcceptedCase[] }).acceptedCases).toEqual([])

    const person = world.people.hdMediator
    const denied = await call(loader, `/people/${person.id}`, { params: { personId: person.id }, cookie: world.users.cyStaff.cookie })
    expect(denied.status).toBe(404)
    expect(denied.data).toBeNull()
  })
})
