/**
 * The cached expert pool on two app servers sharing one database, one of them with a clock an hour
 * behind. Each server has its own module instance (its own cached pool). Changes made on the slow
 * server write instants older than those already stored, with row counts unchanged: the pool and
 * the loads must still be refreshed on the other server, through the version stamps
 * (pool-version.server.ts), not through `updated_at` / `created_at`.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { addDays } from '#app/modules/experts/rules.ts'
import { todayInChina } from '#app/lib/time.ts'
import type { AuthUser } from '#app/modules/auth/authz.server.ts'
import { createCase } from '#app/modules/cases/cases.server.ts'
import { inviteExpert } from '#app/modules/cases/consultations.server.ts'
import { addUnavailability, removeUnavailability } from '#app/modules/experts/availability.server.ts'
import { createExpert } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { type World, buildWorld } from '#tests/security/world.ts'

type MatchingModule = typeof import('./matching.server.ts')

async function server(): Promise<MatchingModule> {
  vi.resetModules()
  return import('./matching.server.ts')
}

const TODAY = todayInChina()
let world: World
let staff: AuthUser

/** Runs `fn` as the server whose clock is an hour behind. */
async function onSlowServer<T>(fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now() - 3_600_000)
  try {
    return await fn()
  } finally {
    vi.useRealTimers()
  }
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  staff = {
    userId: world.users.admin.id,
    personId: null,
    grants: [{ role: 'admin', regionPath: null, regionCode: null, orgId: null }],
    username: 'admin',
    displayName: 'admin',
    sessionHandle: 'test',
  }
})

afterEach(() => {
  vi.useRealTimers()
})

describe(`expert pool on two servers, one clock behind (${testDialect()})`, () => {
  it('sees availability changes and new loads made on the slow server', async () => {
    const db = testDb()
    const request = () => makeRequest('/experts/x/availability', { method: 'POST' })
    const x = (await createExpert(db, { primary: ['医疗'], professions: JSON.stringify(['medicine']), max_concurrent_cases: 3 })).expert
      .person_id
    const y = (await createExpert(db, { primary: ['医疗'], professions: JSON.stringify(['medicine']), max_concurrent_cases: 3 })).expert
      .person_id
    const later = (days: number) => addDays(TODAY, days)
    // On time: a period of x, then one of y (the latest created_at), and y invited (the latest load).
    const p0 = await addUnavailability(db, request(), staff, x, 'staff', { startDate: later(30), endDate: later(31) }, TODAY)
    if (!p0.ok) throw new Error('period not added')
    await addUnavailability(db, request(), staff, y, 'staff', { startDate: later(40), endDate: later(41) }, TODAY)
    const caseInput = {
      title: '两台服务器',
      summary: '时钟偏差',
      disputeType: '医疗',
      domains: [],
      regionCode: '110108',
      orgId: world.orgs.hdCommittee,
      source: 'party' as const,
      difficulty: 'complex' as const,
      amountYuan: undefined,
      partyCount: 2,
      parties: [{ kind: 'organisation' as const, name: '北京某医院' }],
      expertsNeeded: 2,
      requiredProfession: undefined,
      minTier: undefined,
      requiresOutsideRegion: false,
      consultationMode: 'written' as const,
      periodStart: TODAY,
      periodEnd: TODAY,
      deadline: TODAY,
    }
    const { id: caseId } = await createCase(db, caseInput, null)
    const invite = (expertId: string) =>
      inviteExpert(db, { caseId, expertId, source: 'search', mode: 'written', deadline: TODAY, userId: null, today: TODAY })
    expect((await invite(y)).ok).toBe(true)

    const a = await server()
    const b = await server()
    expect(a).not.toBe(b)
    const poolA = await a.expertPool(db, TODAY)
    await b.expertPool(db, TODAY)
    const expertIn = (pool: Awaited<ReturnType<MatchingModule['expertPool']>>, id: string) => pool.experts[pool.indexOf.get(id)!]!
    expect(expertIn(poolA, x).activeCases).toBe(0)
    expect(expertIn(poolA, x).unavailable).toEqual([{ start: later(30), end: later(31) }])

    // The slow server invites x: its load row gets an instant older than y's.
    await onSlowServer(async () => expect((await invite(x)).ok).toBe(true))
    const stored = await db.selectFrom('expert_loads').select(['expert_id', 'updated_at']).where('expert_id', 'in', [x, y]).execute()
    const at = new Map(stored.map((r) => [r.expert_id, r.updated_at]))
    expect(at.get(x)! < at.get(y)!).toBe(true)
    const patched = await a.expertPool(db, TODAY)
    expect(patched).toBe(poolA)
    expect(expertIn(patched, x).activeCases).toBe(1)

    // The slow server moves x's period: one added, one removed (same counts, older instants).
    await onSlowServer(async () => {
      const moved = await addUnavailability(db, request(), staff, x, 'staff', { startDate: later(50), endDate: later(52) }, TODAY)
      expect(moved.ok).toBe(true)
      expect((await removeUnavailability(db, request(), staff, x, 'staff', p0.value.id)).ok).toBe(true)
    })
    const rebuilt = await a.expertPool(db, TODAY)
    expect(rebuilt).not.toBe(poolA)
    expect(expertIn(rebuilt, x).unavailable).toEqual([{ start: later(50), end: later(52) }])
    // Server B had not looked since it built its pool: it sees both changes at once.
    const poolB = await b.expertPool(db, TODAY)
    expect(expertIn(poolB, x).unavailable).toEqual([{ start: later(50), end: later(52) }])
    expect(expertIn(poolB, x).activeCases).toBe(1)
    // Nothing changed since: both keep their pools.
    expect(await a.expertPool(db, TODAY)).toBe(rebuilt)
    expect(await b.expertPool(db, TODAY)).toBe(poolB)
  })
})
