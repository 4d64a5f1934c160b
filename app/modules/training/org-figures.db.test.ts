/**
 * The per-organisation training figures (ADR 033) on the statistics fixture: a run stores what the
 * live queries count, the statistics page reads them only when they answer its question, and the
 * claim lets one process compute a year at a time.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { todayInChina } from '#app/lib/time.ts'
import { clearDashboardCache } from '#app/modules/dashboard/home.server.ts'
import { loader as homeLoader } from '#app/routes/_app._index.tsx'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { makeContext } from '#app/modules/stats/context.server.ts'
import { gradingStats } from '#app/modules/stats/grading.server.ts'
import { trainingStats } from '#app/modules/stats/training.server.ts'
import { createTrainingRecord } from '#tests/fixtures/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { HAIDIAN, call } from '#tests/security/world.ts'
import { type StatsWorld, buildStatsWorld } from '#tests/stats/world.ts'
import { complianceSummary } from './compliance.server.ts'
import { figuresAsOf, runAnswers } from '#app/modules/stats/figures-policy.ts'
import { complianceLines, hoursByOrg, readOrgFigures, refreshOrgFigures } from './org-figures.server.ts'

let world: StatsWorld
const TODAY = '2026-12-05'
const YEAR = 2026
const everything: ListScope = { everything: true, regionPaths: [], orgIds: [], personIds: [] }
let haidian: ListScope
const T0 = new Date('2026-12-05T02:00:00.000Z')
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000)

beforeAll(async () => {
  world = await buildStatsWorld(testDb())
  const path = (await testDb().selectFrom('regions').select('path').where('code', '=', HAIDIAN).executeTakeFirstOrThrow()).path
  haidian = { everything: false, regionPaths: [path], orgIds: [], personIds: [] }
})

afterEach(() => {
  Reflect.deleteProperty(process.env, 'TIAOJIE_FIGURES_MIN_MEDIATORS')
})

async function runRow() {
  return testDb().selectFrom('training_figure_runs').selectAll().where('year', '=', YEAR).executeTakeFirst()
}

/** Forces the next refresh to compute (as if the last run were long ago). */
async function ageRun() {
  await testDb().updateTable('training_figure_runs').set({ computed_at: '2026-01-01T00:00:00.000Z' }).where('year', '=', YEAR).execute()
}

describe(`training figures per organisation (${testDialect()})`, () => {
  it('a run stores, per organisation, what the live compliance summary and hours count', async () => {
    expect(await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a', { now: T0 })).toBe('refreshed')
    const run = await runRow()
    expect(run?.as_of).toBe('2026-12-05')
    expect(run?.claimed_by).toBeNull()
    for (const scope of [everything, haidian]) {
      const stored = await readOrgFigures(testDb(), scope, YEAR, TODAY, { now: T0.getTime() + 1000, minMediators: 0 })
      expect(stored).not.toBeNull()
      expect(complianceLines(stored!)).toEqual(await complianceSummary(testDb(), scope, YEAR, TODAY))
      const hours = await hoursByOrg(testDb(), scope, '2026-01-01', TODAY)
      expect(
        stored!.lines
          .filter((l) => l.peopleTrained > 0)
          .map((l) => ({ orgId: l.orgId, orgName: l.orgName, regionPath: l.regionPath, tenths: l.hoursTenths, people: l.peopleTrained })),
      ).toEqual(expect.arrayContaining(hours))
      expect(stored!.lines.filter((l) => l.peopleTrained > 0)).toHaveLength(hours.length)
    }
    // Hand-computed (tests/stats/world.ts): Haidian's first committee 4 + 1 h by hdMediator and 2 h by
    // hdMediator2 (the pending 5 h does not count); Chaoyang 10 h by one mediator, no plan.
    const all = await readOrgFigures(testDb(), everything, YEAR, TODAY, { now: T0.getTime(), minMediators: 0 })
    const line = (orgId: string) => all!.lines.find((l) => l.orgId === orgId)
    expect(line(world.orgs.hdCommittee)).toMatchObject({ mediators: 2, behind: 1, hasPlan: true, hoursTenths: 70, peopleTrained: 2 })
    expect(line(world.orgs.cyCommittee)).toMatchObject({ hasPlan: false, hoursTenths: 100, peopleTrained: 1 })
  })

  it('the statistics page reads the stored figures for a large scope and shows the same numbers as the live count', async () => {
    await ageRun()
    expect(await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a')).toBe('refreshed')
    const filters = { from: '2026-01-01', to: TODAY, region: null, drill: null }
    const rootPath = '/'
    const live = await trainingStats(makeContext(testDb(), everything, rootPath, filters, 'zh-CN', TODAY))
    expect(live.figuresAt).toBeUndefined()
    process.env.TIAOJIE_FIGURES_MIN_MEDIATORS = '1'
    const stored = await trainingStats(makeContext(testDb(), everything, rootPath, filters, 'zh-CN', TODAY))
    expect(stored.figuresAt).toBe((await runRow())?.computed_at)
    expect(stored.notes.join()).toContain('统计快照')
    expect(stored.figures).toEqual(live.figures)
    expect(stored.tables).toEqual(live.tables)
    // Another period is counted live, whatever the scope.
    const spring = await trainingStats(makeContext(testDb(), everything, rootPath, { ...filters, to: '2026-03-31' }, 'zh-CN', TODAY))
    expect(spring.figuresAt).toBeUndefined()
  })

  it('is not read when the scope is small, the run is old or judged on another day', async () => {
    await ageRun()
    await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a', { now: T0 })
    const read = (options: Parameters<typeof readOrgFigures>[4], asOf = TODAY) => readOrgFigures(testDb(), everything, YEAR, asOf, options)
    expect(await read({ now: minutes(29).getTime(), minMediators: 0 })).not.toBeNull()
    // Four active mediators in the fixture.
    expect(await read({ now: minutes(1).getTime(), minMediators: 5 })).toBeNull()
    expect(await read({ now: minutes(31).getTime(), minMediators: 0 })).toBeNull()
    expect(await read({ now: minutes(1).getTime(), minMediators: 0 }, '2026-12-06')).toBeNull()
    expect(runAnswers(undefined, TODAY, T0.getTime())).toBe(false)
    expect(runAnswers({ as_of: null, computed_at: null }, TODAY, T0.getTime())).toBe(false)
    expect(figuresAsOf(2025, TODAY)).toBe('2025-12-31')
    expect(figuresAsOf(2026, TODAY)).toBe(TODAY)
  })

  it('one process computes a year at a time; recent figures are not recomputed; a new day is', async () => {
    await ageRun()
    const outcomes = await Promise.all([
      refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a', { now: T0 }),
      refreshOrgFigures(testDb(), YEAR, TODAY, 'test-b', { now: T0 }),
    ])
    expect(outcomes.filter((o) => o === 'refreshed')).toHaveLength(1)
    expect(outcomes.filter((o) => o === 'busy' || o === 'fresh')).toHaveLength(1)
    expect(await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-b', { now: minutes(5) })).toBe('fresh')
    expect(await refreshOrgFigures(testDb(), YEAR, '2026-12-06', 'test-b', { now: minutes(5) })).toBe('refreshed')
    expect((await runRow())?.as_of).toBe('2026-12-06')
    // A claim held by a live run is respected; a lapsed one (the process died) is taken over.
    await ageRun()
    await testDb()
      .updateTable('training_figure_runs')
      .set({ claimed_by: 'test-dead', claim_expires_at: minutes(10).toISOString() })
      .where('year', '=', YEAR)
      .execute()
    expect(await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a', { now: minutes(5) })).toBe('busy')
    expect(await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a', { now: minutes(11) })).toBe('refreshed')
    expect((await runRow())?.claimed_by).toBeNull()
  })

  it('a new approved record shows after the next run; a stopped run changes nothing and frees the year', async () => {
    await ageRun()
    await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a', { now: T0 })
    const hours = async () =>
      (await readOrgFigures(testDb(), everything, YEAR, TODAY, { now: T0.getTime(), minMediators: 0 }))!.lines.find(
        (l) => l.orgId === world.orgs.hdCommittee2,
      )?.hoursTenths ?? 0
    expect(await hours()).toBe(0)
    await createTrainingRecord(testDb(), {
      person_id: world.people.hdOther.id,
      source: 'offline',
      title: '线下培训',
      hours_tenths: 35,
      completed_on: '2026-11-30',
      created_at: T0.toISOString(),
    })
    expect(await hours()).toBe(0)
    await ageRun()
    expect(await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a', { now: T0, stopped: () => true })).toBe('stopped')
    expect((await runRow())?.claimed_by).toBeNull()
    expect((await runRow())?.computed_at).toBe('2026-01-01T00:00:00.000Z')
    expect(await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a', { now: T0 })).toBe('refreshed')
    expect(await hours()).toBe(35)
  })

  it('the staff home reads them for a city-sized scope, with the same numbers as the live count', async () => {
    const today = todayInChina()
    const year = Number(today.slice(0, 4))
    const compliance = async () => {
      clearDashboardCache()
      const outcome = await call(homeLoader, '/', { cookie: world.users.bjStaff.cookie })
      return (outcome.data as { dashboard: { staff: { compliance: { behind: number; mediators: number } } } }).dashboard.staff.compliance
    }
    const live = await compliance()
    await refreshOrgFigures(testDb(), year, today, 'test-a', { minIntervalMs: 0 })
    process.env.TIAOJIE_FIGURES_MIN_MEDIATORS = '1'
    expect(await compliance()).toEqual(live)
    // Proof that the home read the stored row: a changed row shows; below the threshold it does not.
    await testDb()
      .updateTable('training_org_figures')
      .set((eb) => ({ behind: eb('behind', '+', 7) }))
      .where('year', '=', year)
      .where('org_id', '=', world.orgs.hdCommittee)
      .execute()
    expect((await compliance()).behind).toBe(live.behind + 7)
    Reflect.deleteProperty(process.env, 'TIAOJIE_FIGURES_MIN_MEDIATORS')
    expect(await compliance()).toEqual(live)
  })

  it('the grade pyramid of a large region scope comes from the run of the current year, equal to the live count', async () => {
    await ageRun()
    expect(await refreshOrgFigures(testDb(), YEAR, TODAY, 'test-a')).toBe('refreshed')
    const filters = { from: '2026-01-01', to: TODAY, region: null, drill: null }
    for (const [scope, root] of [
      [everything, '/'],
      [haidian, haidian.regionPaths[0]!],
    ] as const) {
      const live = await gradingStats(makeContext(testDb(), scope, root, filters, 'zh-CN', TODAY))
      expect(live.figuresAt).toBeUndefined()
      process.env.TIAOJIE_FIGURES_MIN_MEDIATORS = '1'
      const stored = await gradingStats(makeContext(testDb(), scope, root, filters, 'zh-CN', TODAY))
      Reflect.deleteProperty(process.env, 'TIAOJIE_FIGURES_MIN_MEDIATORS')
      expect(stored.figuresAt).toBe((await runRow())?.computed_at)
      expect(stored.notes.join()).toContain('统计快照')
      expect(stored.figures).toEqual(live.figures)
      expect(stored.tables).toEqual(live.tables)
      expect(live.figures[1]!.value).toBeGreaterThan(0)
    }
    // An organisation grant is counted live: the stored pyramid is kept by region only.
    process.env.TIAOJIE_FIGURES_MIN_MEDIATORS = '1'
    const org: ListScope = { everything: false, regionPaths: [], orgIds: [world.orgs.hdCommittee], personIds: [] }
    expect((await gradingStats(makeContext(testDb(), org, '/', filters, 'zh-CN', TODAY))).figuresAt).toBeUndefined()
    // A past year's run does not touch the pyramid, and a run judged on another day is not read.
    expect(await refreshOrgFigures(testDb(), 2025, TODAY, 'test-a')).toBe('refreshed')
    expect((await gradingStats(makeContext(testDb(), everything, '/', filters, 'zh-CN', TODAY))).figuresAt).toBeDefined()
    expect((await gradingStats(makeContext(testDb(), everything, '/', filters, 'zh-CN', '2026-12-06'))).figuresAt).toBeUndefined()
  })
})
