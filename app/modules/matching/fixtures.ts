/**
 * Hand-made experts and cases for the unit tests (and for the engineer wiring the module: these
 * are the smallest valid inputs). An expert that fits the default case in every respect, in the
 * district 朝阳区 of 北京市, and a case there; tests change one thing at a time.
 */
import type { MatchCase, MatchExpert } from './types.ts'

export const BEIJING = { code: '110000', path: '/110000/' }
export const CHAOYANG = { code: '110105', path: '/110000/110105/' }
export const HAIDIAN = { code: '110108', path: '/110000/110108/' }
export const SHANGHAI = { code: '310000', path: '/310000/' }
export const PUDONG = { code: '310115', path: '/310000/310115/' }

export function makeExpert(overrides: Partial<MatchExpert> = {}): MatchExpert {
  return {
    id: 'x1',
    tier: 'district',
    regionCode: CHAOYANG.code,
    regionPath: CHAOYANG.path,
    workRegionPath: null,
    status: 'active',
    termStart: '2025-01-01',
    termEnd: '2029-12-31',
    unavailable: [],
    maxConcurrentCases: 3,
    activeCases: 0,
    domains: [{ disputeType: '医疗', role: 'primary', parentCategory: '损害赔偿' }],
    professions: ['medicine'],
    ratings: { count: 0, sum: 0 },
    lastAssignedOn: null,
    employerOrgId: 'org-hospital-a',
    employerName: '北京市第一医院',
    personIdHash: 'hash-x1',
    conflicts: { orgIds: [], orgNames: [], personIdHashes: [] },
    organisationId: 'org-hospital-a',
    ...overrides,
  }
}

export function makeCase(overrides: Partial<MatchCase> = {}): MatchCase {
  return {
    id: 'case1',
    disputeType: '医疗',
    parentCategory: '损害赔偿',
    domains: [],
    regionCode: CHAOYANG.code,
    regionPath: CHAOYANG.path,
    difficulty: 'complex',
    periodStart: '2026-11-23',
    periodEnd: '2026-12-22',
    expertsNeeded: 1,
    requirements: [],
    partyOrganisations: [],
    partyPersonIdHashes: [],
    declinedExpertIds: [],
    pinnedConflictExpertIds: [],
    requiresOutsideRegion: false,
    lockedExpertIds: [],
    ...overrides,
  }
}
