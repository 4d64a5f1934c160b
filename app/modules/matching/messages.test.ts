import { describe, expect, it } from 'vitest'
import { planBatch } from './batch.ts'
import { EXCLUSION_CODES, EXCLUSION_FAMILIES } from './constraints.ts'
import { generateCases, generateExperts, makeOrganisations, makeRegions, prng } from './generate.ts'
import { MATCHING_MESSAGES_EN, MATCHING_MESSAGES_ZH } from './messages.ts'
import { recommend } from './recommend.ts'

const keyOf = (ref: string) => ref.split('?')[0]!

describe('message catalogue', () => {
  it('has a text for every exclusion code and family', () => {
    for (const code of EXCLUSION_CODES) expect(MATCHING_MESSAGES_ZH).toHaveProperty([`matching.excluded.${code}`])
    for (const family of EXCLUSION_FAMILIES) expect(MATCHING_MESSAGES_ZH).toHaveProperty([`matching.excludedGroup.${family}`])
  })

  it('has a text for every reference recommendations and plans produce, in both languages', async () => {
    const asOf = '2026-11-23'
    const regions = makeRegions(2, 2, 2)
    const organisations = makeOrganisations(30)
    const experts = generateExperts(prng(1), 400, { asOf, regions, organisations, capacity: [0, 1] })
    const cases = generateCases(prng(2), 120, { asOf, regions, organisations, ruleRate: 0.6, expertIds: experts.map((e) => e.id) })
    const refs = new Set<string>()
    for (const kase of cases.slice(0, 30)) {
      const r = recommend(kase, experts)
      for (const c of r.candidates) for (const ref of c.reasons) refs.add(keyOf(ref))
      for (const g of r.excluded.groups) refs.add(keyOf(g.message))
      for (const s of r.requirements) refs.add(keyOf(s.message))
    }
    const plan = await planBatch({ cases, experts, asOf })
    for (const c of plan.cases) for (const m of c.messages) refs.add(keyOf(m))
    expect(refs.size).toBeGreaterThan(15)
    for (const key of refs) {
      expect(MATCHING_MESSAGES_ZH, key).toHaveProperty([key])
      expect(MATCHING_MESSAGES_EN, key).toHaveProperty([key])
    }
  })
})
