import { describe, expect, it } from 'vitest'
import {
  EXCLUSION_BIT,
  EXCLUSION_CODES,
  ExclusionTally,
  caseContext,
  checkEligibility,
  exclusionMask,
  exclusionReasons,
  exclusionRef,
  groupExclusions,
  maskOf,
} from './constraints.ts'
import { BEIJING, CHAOYANG, HAIDIAN, SHANGHAI, makeCase, makeExpert } from './fixtures.ts'
import { generateCases, generateExperts, makeOrganisations, makeRegions, prng } from './generate.ts'
import { DEFAULT_MATCH_CONFIG, type ExclusionReason, type MatchCase, type MatchConfig, type MatchExpert } from './types.ts'
import { normaliseOrgName } from './util.ts'

function reasons(expert: MatchExpert, kase: MatchCase = makeCase(), config: MatchConfig = DEFAULT_MATCH_CONFIG): ExclusionReason[] {
  const result = checkEligibility(expert, kase, config)
  return result.eligible ? [] : result.reasons
}

describe('hard constraints', () => {
  it('accepts the reference expert for the reference case', () => {
    expect(checkEligibility(makeExpert(), makeCase())).toEqual({ eligible: true })
  })

  it('excludes an expert who is not active', () => {
    expect(reasons(makeExpert({ status: 'suspended' }))).toEqual([{ code: 'status.inactive', status: 'suspended' }])
  })

  it('excludes an expert whose term has not started or has ended by the case start', () => {
    expect(reasons(makeExpert({ termStart: '2026-12-01' }))).toEqual([{ code: 'term.notStarted', termStart: '2026-12-01' }])
    expect(reasons(makeExpert({ termEnd: '2026-11-22' }))).toEqual([{ code: 'term.expired', termEnd: '2026-11-22' }])
    // The term ending during the case is fine by default, not when the configuration says so.
    const endsDuring = makeExpert({ termEnd: '2026-12-01' })
    expect(reasons(endsDuring)).toEqual([])
    const strict = { ...DEFAULT_MATCH_CONFIG, term: { mustCoverCasePeriod: true } }
    expect(reasons(endsDuring, makeCase(), strict)).toEqual([{ code: 'term.endsDuringCase', termEnd: '2026-12-01' }])
  })

  it('excludes an expert away during any part of the case period', () => {
    const away = { start: '2026-12-20', end: '2027-01-10' }
    expect(reasons(makeExpert({ unavailable: [away] }))).toEqual([{ code: 'availability.unavailable', ...away }])
    expect(reasons(makeExpert({ unavailable: [{ start: '2026-10-01', end: '2026-11-22' }] }))).toEqual([])
  })

  it('excludes an expert at capacity', () => {
    expect(reasons(makeExpert({ activeCases: 3, maxConcurrentCases: 3 }))).toEqual([{ code: 'capacity.full', active: 3, max: 3 }])
    expect(reasons(makeExpert({ activeCases: 2, maxConcurrentCases: 3 }))).toEqual([])
  })

  it('excludes an expert who covers neither the dispute type, the further domains nor the category', () => {
    const lawyer = makeExpert({ domains: [{ disputeType: '合同', role: 'primary' }] })
    expect(reasons(lawyer)).toEqual([{ code: 'domain.notCovered', disputeType: '医疗' }])
    expect(reasons(lawyer, makeCase({ domains: ['合同'] }))).toEqual([])
    // Parent category: a traffic-injury expert shares 损害赔偿 with a medical case.
    const traffic = makeExpert({ domains: [{ disputeType: '道路交通事故', role: 'primary', parentCategory: '损害赔偿' }] })
    expect(reasons(traffic)).toEqual([])
    const noParent = { ...DEFAULT_MATCH_CONFIG, domain: { ...DEFAULT_MATCH_CONFIG.domain, parentCategoryCovers: false } }
    expect(reasons(traffic, makeCase(), noParent)).toEqual([{ code: 'domain.notCovered', disputeType: '医疗' }])
  })

  it('allows the case region and its ancestors, never a sibling region', () => {
    expect(reasons(makeExpert({ tier: 'municipal', regionCode: BEIJING.code, regionPath: BEIJING.path }))).toEqual([])
    expect(reasons(makeExpert({ tier: 'national', regionCode: null, regionPath: null }))).toEqual([])
    expect(reasons(makeExpert({ regionCode: HAIDIAN.code, regionPath: HAIDIAN.path }))).toEqual([
      { code: 'region.outsideHierarchy', expertRegion: HAIDIAN.code },
    ])
    expect(reasons(makeExpert({ tier: 'provincial', regionCode: SHANGHAI.code, regionPath: SHANGHAI.path }))).toEqual([
      { code: 'region.outsideHierarchy', expertRegion: SHANGHAI.code },
    ])
  })

  it('applies the tier × difficulty table', () => {
    expect(reasons(makeExpert(), makeCase({ difficulty: 'major' }))).toEqual([
      { code: 'tier.notAllowed', tier: 'district', difficulty: 'major' },
    ])
    const lenient = {
      ...DEFAULT_MATCH_CONFIG,
      tierAllowed: { ...DEFAULT_MATCH_CONFIG.tierAllowed, major: { national: true, provincial: true, municipal: true, district: true } },
    }
    expect(reasons(makeExpert(), makeCase({ difficulty: 'major' }), lenient)).toEqual([])
  })

  it('excludes a declared organisation conflict, by id or by name as typed differently', () => {
    const hospitalB = { id: 'org-b', name: '北京市 第二医院（总院）' }
    const byId = makeExpert({ conflicts: { orgIds: ['org-b'], orgNames: [], personIdHashes: [] } })
    const byName = makeExpert({ conflicts: { orgIds: [], orgNames: ['北京市第二医院(总院)'], personIdHashes: [] } })
    const kase = makeCase({ partyOrganisations: [hospitalB] })
    expect(reasons(byId, kase)).toEqual([{ code: 'conflict.declaredOrganisation', orgName: hospitalB.name }])
    expect(reasons(byName, kase)).toEqual([{ code: 'conflict.declaredOrganisation', orgName: hospitalB.name }])
  })

  it('excludes an expert whose employer is a party, by id or normalised name', () => {
    const party = { id: 'org-hospital-a', name: '北京市第一医院' }
    expect(reasons(makeExpert(), makeCase({ partyOrganisations: [party] }))).toEqual([
      { code: 'conflict.partyOrganisation', orgName: party.name },
    ])
    const unregistered = makeExpert({ employerOrgId: null, employerName: '北京市第一医院 ' })
    expect(reasons(unregistered, makeCase({ partyOrganisations: [{ name: '北京市第一医院' }] }))).toEqual([
      { code: 'conflict.partyOrganisation', orgName: '北京市第一医院' },
    ])
    expect(reasons(makeExpert(), makeCase({ partyOrganisations: [{ name: '北京市第一医院分院' }] }))).toEqual([])
  })

  it('excludes a declared person conflict and an expert who is a party', () => {
    const relative = makeExpert({ conflicts: { orgIds: [], orgNames: [], personIdHashes: ['hash-p'] } })
    expect(reasons(relative, makeCase({ partyPersonIdHashes: ['hash-p'] }))).toEqual([{ code: 'conflict.declaredPerson' }])
    expect(reasons(makeExpert(), makeCase({ partyPersonIdHashes: ['hash-x1'] }))).toEqual([{ code: 'conflict.isParty' }])
  })

  it('excludes an expert who declined the case before, and an administrator-pinned conflict', () => {
    expect(reasons(makeExpert(), makeCase({ declinedExpertIds: ['x1'] }))).toEqual([{ code: 'conflict.declined' }])
    expect(reasons(makeExpert(), makeCase({ pinnedConflictExpertIds: ['x1'] }))).toEqual([{ code: 'conflict.pinned' }])
  })

  it('requires experts from outside the region when the case needs neutrality', () => {
    const kase = makeCase({ requiresOutsideRegion: true })
    expect(reasons(makeExpert(), kase)).toEqual([{ code: 'neutrality.sameRegion', regionCode: CHAOYANG.code }])
    const municipal = makeExpert({ tier: 'municipal', regionCode: BEIJING.code, regionPath: BEIJING.path })
    expect(reasons(municipal, kase)).toEqual([])
    // Appointed by the city but working in the very district: not neutral.
    expect(reasons({ ...municipal, workRegionPath: CHAOYANG.path }, kase)).toEqual([
      { code: 'neutrality.sameRegion', regionCode: CHAOYANG.code },
    ])
  })

  it('gives one reason per failed constraint, all of them', () => {
    const expert = makeExpert({ status: 'retired', activeCases: 3, regionPath: HAIDIAN.path, regionCode: HAIDIAN.code })
    const kase = makeCase({ declinedExpertIds: ['x1'], partyPersonIdHashes: ['hash-x1'] })
    expect(reasons(expert, kase).map((r) => r.code)).toEqual([
      'status.inactive',
      'capacity.full',
      'region.outsideHierarchy',
      'conflict.isParty',
      'conflict.declined',
    ])
  })

  it('the fast mask and the explained reasons agree on generated experts', () => {
    const rng = prng(7)
    const regions = makeRegions(2, 2, 3)
    const organisations = makeOrganisations(40)
    const experts = generateExperts(rng, 2000, { asOf: '2026-11-23', regions, organisations, conflictRate: 0.3 })
    const cases = generateCases(rng, 20, {
      asOf: '2026-11-23',
      regions,
      organisations,
      expertIds: experts.map((e) => e.id),
      neutralityRate: 0.5,
    })
    let excluded = 0
    for (const kase of cases) {
      const ctx = caseContext(kase)
      for (const expert of experts) {
        const mask = exclusionMask(expert, ctx)
        const explained = exclusionReasons(expert, ctx)
        expect(mask).toBe(maskOf(explained))
        if (mask) excluded++
        // One reason per code at most.
        expect(new Set(explained.map((r) => r.code)).size).toBe(explained.length)
      }
    }
    expect(excluded).toBeGreaterThan(0)
  })

  it('makes message references the UI can translate', () => {
    expect(exclusionRef({ code: 'conflict.partyOrganisation', orgName: '北京市第一医院' })).toBe(
      `matching.excluded.conflict.partyOrganisation?orgName=${encodeURIComponent('北京市第一医院')}`,
    )
    expect(exclusionRef({ code: 'conflict.declined' })).toBe('matching.excluded.conflict.declined')
  })

  it('normalises organisation names across widths, spaces and punctuation', () => {
    expect(normaliseOrgName('北京市 第一医院（总院）')).toBe(normaliseOrgName('北京市第一医院(总院)'))
    expect(normaliseOrgName('ABC 律师事务所')).toBe(normaliseOrgName('ａｂｃ律师事务所'))
    expect(normaliseOrgName('北京市第一医院')).not.toBe(normaliseOrgName('北京市第一医院分院'))
  })
})

describe('grouping exclusions', () => {
  it('counts experts per family and per code, with the only-reason count', () => {
    const summary = groupExclusions([
      { expertId: 'a', reasons: [{ code: 'conflict.declined' }] },
      { expertId: 'b', reasons: [{ code: 'conflict.isParty' }, { code: 'conflict.declined' }] },
      { expertId: 'c', reasons: [{ code: 'capacity.full', active: 3, max: 3 }, { code: 'conflict.pinned' }] },
      { expertId: 'd', reasons: [{ code: 'capacity.full', active: 2, max: 2 }] },
      { expertId: 'e', reasons: [] },
    ])
    expect(summary.total).toBe(4)
    expect(summary.groups.map((g) => [g.family, g.count, g.message])).toEqual([
      ['conflict', 3, 'matching.excludedGroup.conflict?count=3'],
      ['availability', 2, 'matching.excludedGroup.availability?count=2'],
    ])
    const conflict = summary.groups[0]!
    expect(conflict.codes).toEqual([
      { code: 'conflict.declined', count: 2, onlyReason: 1, expertIds: ['a', 'b'] },
      { code: 'conflict.isParty', count: 1, onlyReason: 0, expertIds: ['b'] },
      { code: 'conflict.pinned', count: 1, onlyReason: 0, expertIds: ['c'] },
    ])
  })

  it('keeps only the first few ids per code, and counts in bulk', () => {
    const tally = new ExclusionTally(2)
    for (let i = 0; i < 12; i++) tally.add(EXCLUSION_BIT['conflict.declaredPerson'], `p${i}`)
    tally.addMany(EXCLUSION_BIT['domain.notCovered'], 1000, ['d1', 'd2', 'd3'])
    const summary = tally.summary()
    expect(summary.total).toBe(1012)
    expect(summary.groups.map((g) => [g.family, g.count])).toEqual([
      ['domain', 1000],
      ['conflict', 12],
    ])
    expect(summary.groups[1]!.message).toBe('matching.excludedGroup.conflict?count=12')
    expect(summary.groups[0]!.codes[0]!.expertIds).toEqual(['d1', 'd2'])
    expect(summary.groups[1]!.codes[0]!.expertIds).toEqual(['p0', 'p1'])
  })

  it('numbers every code with its own bit', () => {
    const bits = EXCLUSION_CODES.map((c) => EXCLUSION_BIT[c])
    expect(new Set(bits).size).toBe(EXCLUSION_CODES.length)
    expect(bits.reduce((a, b) => a | b, 0)).toBe(2 ** EXCLUSION_CODES.length - 1)
  })
})
