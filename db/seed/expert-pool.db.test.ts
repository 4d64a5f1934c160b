import { beforeAll, describe, expect, it } from 'vitest'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { addDays } from '#app/modules/experts/rules.ts'
import { DEMO_SEED, DEMO_TODAY, generateDemo, mulberry32, seedDemo } from './demo.ts'
import { seedExpertPool } from './expert-pool.ts'
import { seedReferenceData } from './reference.ts'

const EXPERT_TABLES = [
  'expert_recommendations',
  'expert_conflicts',
  'expert_unavailability',
  'expert_status_changes',
  'expert_terms',
  'expert_domains',
  'experts',
] as const

async function snapshot(): Promise<string> {
  const db = testDb()
  const parts: unknown[] = []
  for (const table of [...EXPERT_TABLES].reverse()) {
    parts.push(
      await db
        .selectFrom(table)
        .selectAll()
        .execute()
        .then((rows) => rows.map((r) => JSON.stringify(r)).sort()),
    )
  }
  return JSON.stringify(parts)
}

beforeAll(async () => {
  await seedReferenceData(testDb())
  await seedDemo(testDb())
})

describe(`the demo expert pool (${testDialect()})`, () => {
  it('gives every demo expert a profile, with every tier and status and a few terms about to expire', async () => {
    const db = testDb()
    const summary = await seedExpertPool(db, mulberry32(DEMO_SEED))
    const demoExperts = generateDemo().people.filter((p) => p.kind === 'expert')
    expect(summary.experts).toBe(demoExperts.length)
    const experts = await db.selectFrom('experts').selectAll().execute()
    expect(new Set(experts.map((e) => e.tier))).toEqual(new Set(['national', 'provincial', 'municipal', 'district']))
    expect(new Set(experts.map((e) => e.status))).toEqual(new Set(['active', 'suspended', 'retired', 'removed']))
    const soon = experts.filter((e) => e.status === 'active' && e.term_end >= DEMO_TODAY && e.term_end <= addDays(DEMO_TODAY, 60))
    expect(soon.length).toBeGreaterThanOrEqual(3)
    expect(experts.some((e) => e.status === 'active' && e.term_end < DEMO_TODAY)).toBe(true)
    // The demo `expert` account's person is a Haidian district expert, active and in term.
    expect(experts.find((e) => e.person_id === demoExperts[0]!.id)).toMatchObject({
      tier: 'district',
      region_code: '110108',
      status: 'active',
    })
    const recommendations = await db.selectFrom('expert_recommendations').select('status').execute()
    expect(new Set(recommendations.map((r) => r.status))).toEqual(new Set(['pending', 'accepted', 'declined']))
    const withoutDomain = await db
      .selectFrom('experts as e')
      .select('e.person_id')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('expert_domains as d')
              .select('d.expert_id')
              .whereRef('d.expert_id', '=', 'e.person_id')
              .where('d.role', '=', 'primary'),
          ),
        ),
      )
      .execute()
    expect(withoutDomain).toEqual([])
  })

  it('writes nothing on a second run, and the same rows from the same seed', async () => {
    const db = testDb()
    const before = await snapshot()
    expect((await seedExpertPool(db, mulberry32(DEMO_SEED))).experts).toBe(0)
    expect(await snapshot()).toBe(before)
    for (const table of EXPERT_TABLES) await db.deleteFrom(table).execute()
    await seedExpertPool(db, mulberry32(DEMO_SEED))
    expect(await snapshot()).toBe(before)
  })
})
