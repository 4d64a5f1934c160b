/**
 * Two app servers on one database: each has its own module instance (its own in-memory index).
 * Server A accepts a case; A finds it at once, server B within the check interval.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld } from '#tests/security/world.ts'
import { makeRequest } from '#tests/fixtures/request.ts'

type IndexModule = typeof import('./index.server.ts')
type SubmissionsModule = typeof import('./submissions.server.ts')

async function server(): Promise<{ index: IndexModule; submissions: SubmissionsModule }> {
  vi.resetModules()
  const index = await import('./index.server.ts')
  const submissions = await import('./submissions.server.ts')
  return { index, submissions }
}

let world: World

beforeAll(async () => {
  world = await buildWorld(testDb())
})

describe(`library index on two servers (${testDialect()})`, () => {
  it('publishing on A reaches B through the version stamp', async () => {
    const db = testDb()
    const a = await server()
    const b = await server()
    expect(a.index).not.toBe(b.index)
    const now = Date.now()
    // Both have built their index.
    expect((await a.index.libraryIndex(db, now)).search('鸿雁快递站')).toEqual([])
    expect((await b.index.libraryIndex(db, now)).search('鸿雁快递站')).toEqual([])

    const ctx = {
      request: makeRequest('/library/submissions/new', { method: 'POST' }),
      actor: { userId: null, username: null, roles: null, scope: null },
    }
    const author = await a.submissions.authorOf(db, world.users.mediator.id, world.people.hdMediator.id)
    const input = {
      intent: 'submit' as const,
      title: '鸿雁快递站丢件纠纷',
      disputeType: '消费',
      domains: ['消费'],
      regionCode: '110108',
      year: 2026,
      source: '当事人申请' as const,
      outcome: '书面协议' as const,
      amountRange: '1万以下' as const,
      techniques: ['引导协商' as const],
      legalBasis: [],
      tags: ['快递'],
      summary: '快递站丢件，调解后赔付。',
      facts: '张某的包裹在鸿雁快递站丢失。',
      process: '调解员联系双方。',
      result: '赔付五百元。',
      commentary: '明确责任主体。',
    }
    const id = await db.transaction().execute((trx) => a.submissions.createSubmission(trx, ctx, author!, input))
    const { version } = await db.selectFrom('library_submissions').select('version').where('id', '=', id).executeTakeFirstOrThrow()
    const scores = { truthfulness: 5, typicality: 5, procedure: 5, novelty: 5, readability: 5, exemplary: 5 }
    const outcome = await db
      .transaction()
      .execute((trx) =>
        a.submissions.reviewSubmission(
          trx,
          ctx,
          id,
          { userId: world.users.hdAssoc.id, name: '评审' },
          { intent: 'accept', version, comments: '好', ...scores },
        ),
      )
    expect(outcome).toBe('ok')

    // A dropped its index when it published: the case is there at once.
    expect((await a.index.libraryIndex(db, now + 1)).search('鸿雁快递站').map((h) => h.case.key)).toEqual([id])
    // B trusts its index until the interval passes, then sees the new stamp and rebuilds.
    expect((await b.index.libraryIndex(db, now + 1)).search('鸿雁快递站')).toEqual([])
    const later = await b.index.libraryIndex(db, now + b.index.CHECK_INTERVAL_MS + 1)
    expect(later.search('鸿雁快递站').map((h) => h.case.key)).toEqual([id])
  })
})
