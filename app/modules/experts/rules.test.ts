import { describe, expect, it } from 'vitest'
import {
  addYears,
  ageLimitWarning,
  canChangeStatus,
  eligibilityFacts,
  isAvailableForMatching,
  proposedRenewal,
  renewalProblem,
  termEndFor,
  termState,
  unavailableReasons,
} from './rules.ts'

const TERM = { term_start: '2022-01-01', term_end: '2026-12-31' }

describe('status changes', () => {
  it('allows suspending, retiring and removing an active expert, and reinstating a suspended one', () => {
    expect(canChangeStatus('active', 'suspended')).toBe(true)
    expect(canChangeStatus('active', 'retired')).toBe(true)
    expect(canChangeStatus('active', 'removed')).toBe(true)
    expect(canChangeStatus('suspended', 'active')).toBe(true)
    expect(canChangeStatus('retired', 'active')).toBe(true)
  })

  it('refuses a change to the same status and any change after removal', () => {
    expect(canChangeStatus('active', 'active')).toBe(false)
    expect(canChangeStatus('removed', 'active')).toBe(false)
    expect(canChangeStatus('removed', 'retired')).toBe(false)
    expect(canChangeStatus('retired', 'suspended')).toBe(false)
  })
})

describe('terms', () => {
  it('says where today falls in the term, with the renewal window', () => {
    expect(termState(TERM, '2021-12-31', 60)).toBe('notStarted')
    expect(termState(TERM, '2026-06-01', 60)).toBe('current')
    expect(termState(TERM, '2026-11-01', 60)).toBe('expiring')
    expect(termState(TERM, '2026-12-31', 60)).toBe('expiring')
    expect(termState(TERM, '2027-01-01', 60)).toBe('expired')
    expect(termState(TERM, '2026-11-01', 30)).toBe('current')
  })

  it('makes terms of whole years ending the day before the anniversary', () => {
    expect(termEndFor('2026-11-23', 5)).toBe('2031-11-22')
    expect(termEndFor('2026-01-01', 2)).toBe('2027-12-31')
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28')
  })

  it('proposes a renewal from the day after the term, or from today once it has lapsed', () => {
    expect(proposedRenewal(TERM, '2026-11-23', 5)).toEqual({ start: '2027-01-01', end: '2031-12-31' })
    expect(proposedRenewal(TERM, '2027-03-10', 2)).toEqual({ start: '2027-03-10', end: '2029-03-09' })
  })

  it('refuses renewals that overlap the current term, end before they start, or follow removal', () => {
    expect(renewalProblem('active', TERM, '2027-01-01', '2031-12-31')).toBeNull()
    expect(renewalProblem('suspended', TERM, '2027-01-01', '2031-12-31')).toBeNull()
    expect(renewalProblem('active', TERM, '2026-12-31', '2031-12-31')).toBe('experts.renew.overlaps')
    expect(renewalProblem('active', TERM, '2027-01-01', '2027-01-01')).toBe('experts.term.endBeforeStart')
    expect(renewalProblem('removed', TERM, '2027-01-01', '2031-12-31')).toBe('experts.renew.removed')
  })

  it('warns when the expert reaches the age limit during the term, using the configured limit', () => {
    expect(ageLimitWarning('1960-06-01', '2031-12-31', 70)).toEqual({ age: 71, limit: 70 })
    expect(ageLimitWarning('1960-06-01', '2030-05-31', 70)).toBeNull()
    expect(ageLimitWarning('1960-06-01', '2030-06-01', 70)).toEqual({ age: 70, limit: 70 })
    expect(ageLimitWarning('1960-06-01', '2031-12-31', 75)).toBeNull()
    expect(ageLimitWarning(null, '2031-12-31', 70)).toBeNull()
  })
})

describe('availability for matching', () => {
  const expert = { ...TERM, status: 'active' as const, max_concurrent_cases: 3 }

  it('is available when active, in term, not away and below capacity', () => {
    expect(isAvailableForMatching(expert, '2026-06-01')).toBe(true)
    expect(unavailableReasons(expert, '2026-06-01')).toEqual([])
  })

  it('becomes unavailable automatically once the term has ended, whatever the status says', () => {
    expect(isAvailableForMatching(expert, '2027-01-01')).toBe(false)
    expect(unavailableReasons(expert, '2027-01-01')).toEqual(['termExpired'])
    expect(unavailableReasons(expert, '2021-06-01')).toEqual(['termNotStarted'])
  })

  it('names every reason at once: status, unavailable period, capacity', () => {
    const away = { start_date: '2026-05-30', end_date: '2026-06-02' }
    expect(unavailableReasons({ ...expert, status: 'suspended', unavailable: [away], activeCases: 3 }, '2026-06-01')).toEqual([
      'status',
      'away',
      'atCapacity',
    ])
    expect(unavailableReasons({ ...expert, unavailable: [away] }, '2026-06-03')).toEqual([])
  })
})

describe('eligibility facts', () => {
  it('lists the employer as a conflict and only declared conflicts in force', () => {
    const facts = eligibilityFacts(
      {
        ...TERM,
        person_id: 'E1',
        tier: 'district',
        region_code: '110108',
        status: 'active',
        max_concurrent_cases: 3,
        activeCases: 1,
        employer: '北京大学第三医院',
        employer_org_id: null,
        domains: [
          { dispute_type_code: '医疗', role: 'primary' },
          { dispute_type_code: '保险', role: 'secondary' },
          { dispute_type_code: '医疗', role: 'specialty' },
        ],
        conflicts: [
          { kind: 'person', name: '张某', org_id: null, id_number_hash: 'h1', start_date: null, end_date: null },
          { kind: 'organisation', name: '旧单位', org_id: null, id_number_hash: null, start_date: '2020-01-01', end_date: '2025-12-31' },
        ],
      },
      '2026-06-01',
    )
    expect(facts.available).toBe(true)
    expect(facts.capacityLeft).toBe(2)
    expect(facts.domains).toEqual({ primary: ['医疗'], secondary: ['保险'], specialty: ['医疗'] })
    expect(facts.conflicts.map((c) => [c.source, c.name])).toEqual([
      ['employer', '北京大学第三医院'],
      ['declared', '张某'],
    ])
  })
})
