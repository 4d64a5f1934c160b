import { describe, expect, it } from 'vitest'
import { addMonths, assess, categoryOf, type PlanRule, planFor, preServiceCutoff, preServiceState } from './compliance.ts'

const plan = (over: Partial<PlanRule>): PlanRule => ({
  id: 'p',
  year: 2026,
  regionPath: '/110000/',
  orgId: null,
  fullTimeTenths: 400,
  partTimeTenths: 200,
  sectorTenths: 300,
  preServiceMonths: 3,
  ...over,
})

describe('which plan applies', () => {
  const city = plan({ id: 'city' })
  const district = plan({ id: 'district', regionPath: '/110000/110108/' })
  const own = plan({ id: 'own', regionPath: '/110000/110108/', orgId: 'ORG' })
  const lastYear = plan({ id: 'old', year: 2025, orgId: 'ORG' })
  it('prefers the organisation’s own plan, then the nearest region, for the same year only', () => {
    expect(planFor([city, district, own, lastYear], 2026, { id: 'ORG', regionPath: '/110000/110108/' })?.id).toBe('own')
    expect(planFor([city, district, lastYear], 2026, { id: 'ORG', regionPath: '/110000/110108/' })?.id).toBe('district')
    expect(planFor([city, district], 2026, { id: 'X', regionPath: '/110000/110105/' })?.id).toBe('city')
    expect(planFor([city], 2025, { id: 'X', regionPath: '/110000/110105/' })).toBeNull()
    expect(planFor([district], 2026, { id: 'X', regionPath: '/110000/' })).toBeNull()
  })
})

describe('compliance of one mediator', () => {
  it('uses the sector category for sector committees', () => {
    expect(categoryOf('part_time', 'committee_sector')).toBe('sector')
    expect(categoryOf('part_time', 'committee_village')).toBe('part_time')
  })
  it('counts missing hours against the category’s requirement', () => {
    const r = assess(
      plan({}),
      { employment: 'full_time', orgKind: 'committee_village', startedOn: '2020-01-01', earnedTenths: 150, preServiceDone: true },
      '2026-11-23',
    )
    expect(r).toEqual({
      category: 'full_time',
      requiredTenths: 400,
      earnedTenths: 150,
      missingTenths: 250,
      behind: true,
      preService: 'done',
    })
    const met = assess(
      plan({}),
      { employment: 'part_time', orgKind: 'committee_village', startedOn: '2020-01-01', earnedTenths: 200, preServiceDone: true },
      '2026-11-23',
    )
    expect(met.behind).toBe(false)
  })
  it('flags pre-service overdue only after N months of appointment', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15')
    expect(preServiceState(false, '2026-09-01', 3, '2026-11-23')).toBe('due')
    expect(preServiceState(false, '2026-08-01', 3, '2026-11-23')).toBe('overdue')
    expect(preServiceState(false, '2026-08-23', 3, '2026-11-23')).toBe('due')
    expect(preServiceState(true, '2020-01-01', 3, '2026-11-23')).toBe('done')
    expect(preServiceState(false, null, 3, '2026-11-23')).toBe('unknown')
    const late = assess(
      plan({}),
      { employment: 'part_time', orgKind: 'committee_village', startedOn: '2026-01-01', earnedTenths: 500, preServiceDone: false },
      '2026-11-23',
    )
    expect(late).toMatchObject({ missingTenths: 0, behind: true, preService: 'overdue' })
  })
})

describe('the pre-service cutoff used in SQL', () => {
  it('agrees with preServiceState for every start date and every month count', () => {
    const days: string[] = []
    for (let t = Date.UTC(2023, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10))
    for (const today of ['2026-03-31', '2026-02-28', '2024-02-29', '2026-01-01', '2026-12-31', '2026-05-15', '2025-03-30']) {
      for (const months of [1, 3, 6, 12, 13, 36]) {
        const cutoff = preServiceCutoff(today, months)
        for (const started of days) {
          expect(started < cutoff, `${today} ${months} ${started}`).toBe(preServiceState(false, started, months, today) === 'overdue')
        }
      }
    }
  })
  it('may name a day that does not exist, which still sorts correctly', () => {
    expect(preServiceCutoff('2026-03-31', 1)).toBe('2026-02-31')
    expect(preServiceCutoff('2026-01-15', 3)).toBe('2025-10-15')
  })
})
