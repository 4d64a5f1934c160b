/**
 * The roster query on a pool big enough to page through: keyset pages cover every expert exactly
 * once in order, forwards and backwards, and filters combine with scope.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { loader as rosterLoader } from '#app/routes/_app.experts._index.tsx'
import { buildExpert } from '#db/seed/expert-pool.ts'
import { insertRows } from '#db/seed/bulk.ts'
import { personRow } from '#db/seed/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { CHAOYANG, HAIDIAN, type Pool, buildPool } from '#tests/experts/world.ts'
import { call } from '#tests/security/world.ts'
import { type RosterQuery, parseRosterQuery } from './roster.ts'
import { listRoster } from './roster.server.ts'
import { expertBodyScope, expertViewScope } from './scope.ts'

let pool: Pool
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴']

beforeAll(async () => {
  const db = testDb()
  pool = await buildPool(db)
  const built = Array.from({ length: 60 }, (_, i) =>
    buildExpert({
      tier: 'district',
      region_code: i % 3 === 0 ? CHAOYANG : HAIDIAN,
      // Repeated names, so the id decides the order among equals.
      name: `${SURNAMES[i % SURNAMES.length]}专家`,
      person: { idNumber: null, phone: null, name: `${SURNAMES[i % SURNAMES.length]}专家` },
      term_start: '2024-01-01',
      term_end: `2027-${String((i % 12) + 1).padStart(2, '0')}-15`,
      status: i % 10 === 0 ? 'suspended' : 'active',
      primary: [i % 2 ? '医疗' : '合同'],
      specialty: i % 4 === 0 ? ['物业'] : [],
      employer: i % 5 === 0 ? '协和医院' : '某律师事务所',
    }),
  )
  await insertRows(
    db,
    'people',
    built.map((b) => personRow(b.person!)),
  )
  await insertRows(
    db,
    'experts',
    built.map((b) => b.expert),
  )
  await insertRows(
    db,
    'expert_domains',
    built.flatMap((b) => b.domains),
  )
})

function query(search: string): RosterQuery {
  return parseRosterQuery(new URL(`http://localhost/experts${search}`))
}

/** Follows the roster's "next" links from the first page to the last. */
async function walk(search: string, user: 'hdStaff' | 'admin') {
  const seen: string[] = []
  const pages: number[] = []
  let url: string | null = `/experts${search}`
  for (let i = 0; i < 50 && url !== null; i++) {
    const outcome = await call(rosterLoader, url, { cookie: pool.users[user].cookie })
    const data = outcome.data as { rows: { personId: string; name: string }[]; cursor: { next: string | null }; total: number }
    seen.push(...data.rows.map((r) => r.personId))
    pages.push(data.rows.length)
    url = data.cursor.next === null ? null : `/experts${data.cursor.next}`
  }
  return { seen, pages }
}

describe(`roster paging (${testDialect()})`, () => {
  it('visits every visible expert once, in name order, page by page', async () => {
    const db = testDb()
    const { seen, pages } = await walk('?size=20', 'admin')
    const all = await db.selectFrom('experts').select(['person_id', 'name']).orderBy('name').orderBy('person_id').execute()
    expect(seen).toEqual(all.map((r) => r.person_id))
    expect(pages.every((n) => n <= 20)).toBe(true)
  })

  it('pages through search results the same way', async () => {
    const db = testDb()
    const { seen } = await walk(`?size=20&q=${encodeURIComponent('专家')}`, 'admin')
    const all = await db
      .selectFrom('experts')
      .select('person_id')
      .where('name', 'like', '%专家%')
      .orderBy('name')
      .orderBy('person_id')
      .execute()
    expect(seen).toEqual(all.map((r) => r.person_id))
    expect(seen.length).toBeGreaterThan(40)
  })

  it('pages backwards to the same rows', async () => {
    const db = testDb()
    const view = expertViewScope({
      userId: 'a',
      personId: null,
      grants: [{ role: 'admin', regionCode: null, regionPath: null, orgId: null }],
    })
    const body = expertBodyScope({ userId: 'a', personId: null, grants: [] }, 'expert:edit')
    const input = { view, body, today: '2026-11-23', windowDays: 60 }
    const first = await listRoster(db, { ...input, query: query('?size=20') })
    const second = await listRoster(db, { ...input, query: query(`?size=20&after=${first.next}`) })
    const back = await listRoster(db, { ...input, query: query(`?size=20&before=${second.previous}`) })
    expect(back.rows.map((r) => r.personId)).toEqual(first.rows.map((r) => r.personId))
    expect(back.previous).toBeNull()
    expect(second.rows[0]!.personId).not.toBe(first.rows.at(-1)!.personId)
  })

  it('sorts by term end, descending, with the same guarantees', async () => {
    const db = testDb()
    const { seen } = await walk('?size=20&sort=term_end&dir=desc', 'admin')
    const all = await db.selectFrom('experts').select('person_id').orderBy('term_end', 'desc').orderBy('person_id', 'desc').execute()
    expect(seen).toEqual(all.map((r) => r.person_id))
  })

  it('combines filters with scope and counts the total', async () => {
    const outcome = await call(rosterLoader, '/experts?domain=医疗&status=active&q=协和&size=50', { cookie: pool.users.hdStaff.cookie })
    const data = outcome.data as { rows: { personId: string; regionCode: string; status: string; employer: string }[]; total: number }
    expect(data.rows.length).toBeGreaterThan(0)
    expect(data.total).toBe(data.rows.length)
    for (const row of data.rows) expect(row).toMatchObject({ regionCode: HAIDIAN, status: 'active', employer: '协和医院' })
    const specialty = await call(rosterLoader, '/experts?specialty=物业&region=110105&size=50', { cookie: pool.users.bjStaff.cookie })
    const rows = (specialty.data as { rows: { regionCode: string }[] }).rows
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.regionCode === CHAOYANG)).toBe(true)
    const expiring = await call(rosterLoader, '/experts?term=expired&size=50', { cookie: pool.users.hdStaff.cookie })
    expect((expiring.data as { total: number }).total).toBe(0)
  })
})
