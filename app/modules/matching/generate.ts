/**
 * Deterministic synthetic experts and cases for tests and benches (seeded PRNG, no I/O). Shapes
 * follow the domain guide: GB/T 2260-style region codes (province → city → district), the
 * statistics list of dispute types, tiers bound to the appointing region's level.
 */
import type { CaseRequirement, Difficulty, ExpertDomain, ExpertTier, MatchCase, MatchExpert, PartyOrganisation } from './types.ts'

/** mulberry32: small, fast, good enough for test data; same seed → same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Rng = () => number
export const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1))
export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!
export const chance = (rng: Rng, p: number) => rng() < p

export const DISPUTE_TYPES = [
  '婚姻家庭',
  '邻里',
  '房屋宅基地',
  '合同',
  '生产经营',
  '损害赔偿',
  '山林土地',
  '征地拆迁',
  '环境污染',
  '劳动争议',
  '消费',
  '医疗',
  '道路交通事故',
  '物业',
  '其他',
  '旅游',
  '电子商务',
  '知识产权',
  '保险',
  '金融',
  '互联网',
] as const

/** Illustrative parent categories (the reference data may define others). */
export const PARENT_CATEGORY: Readonly<Record<string, string>> = {
  医疗: '损害赔偿',
  道路交通事故: '损害赔偿',
  环境污染: '损害赔偿',
  物业: '房屋宅基地',
  征地拆迁: '房屋宅基地',
  旅游: '消费',
  电子商务: '消费',
  保险: '合同',
  金融: '合同',
  互联网: '合同',
}

export const PROFESSIONS = ['law', 'medicine', 'psychology', 'social_work', 'finance', 'construction', 'accounting', 'insurance'] as const

export interface RegionNode {
  code: string
  path: string
  level: 'province' | 'city' | 'district'
}

export interface RegionSet {
  provinces: RegionNode[]
  cities: RegionNode[]
  districts: RegionNode[]
}

export function makeRegions(provinces: number, citiesPer: number, districtsPer: number): RegionSet {
  const out: RegionSet = { provinces: [], cities: [], districts: [] }
  for (let p = 0; p < provinces; p++) {
    const pp = String(11 + p)
    const province = { code: `${pp}0000`, path: `/${pp}0000/`, level: 'province' as const }
    out.provinces.push(province)
    for (let c = 0; c < citiesPer; c++) {
      const cc = String(c + 1).padStart(2, '0')
      const city = { code: `${pp}${cc}00`, path: `${province.path}${pp}${cc}00/`, level: 'city' as const }
      out.cities.push(city)
      for (let d = 0; d < districtsPer; d++) {
        const code = `${pp}${cc}${String(d + 1).padStart(2, '0')}`
        out.districts.push({ code, path: `${city.path}${code}/`, level: 'district' })
      }
    }
  }
  return out
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

export interface ExpertOptions {
  asOf: string
  regions: RegionSet
  disputeTypes?: readonly string[]
  /** Remaining capacity (max − active) range. */
  capacity?: [number, number]
  /** Employer organisations to draw from (also the party pool of the cases). */
  organisations: PartyOrganisation[]
  /** Share of experts who are not active / out of term / away. */
  unavailableRate?: number
  conflictRate?: number
  idPrefix?: string
}

export function makeOrganisations(n: number, prefix = 'org'): PartyOrganisation[] {
  const kinds = ['医院', '律师事务所', '大学', '保险公司', '建筑公司', '银行', '会计师事务所', '心理咨询中心']
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(5, '0')}`,
    name: `第${i + 1}${kinds[i % kinds.length]}`,
  }))
}

const TIER_LEVEL: Record<ExpertTier, 'national' | 'province' | 'city' | 'district'> = {
  national: 'national',
  provincial: 'province',
  municipal: 'city',
  district: 'district',
}

export function generateExperts(rng: Rng, n: number, o: ExpertOptions): MatchExpert[] {
  const types = o.disputeTypes ?? DISPUTE_TYPES
  const [capMin, capMax] = o.capacity ?? [0, 3]
  const unavailableRate = o.unavailableRate ?? 0.08
  const conflictRate = o.conflictRate ?? 0.05
  const prefix = o.idPrefix ?? 'e'
  const experts: MatchExpert[] = []
  for (let i = 0; i < n; i++) {
    const roll = rng()
    const tier: ExpertTier = roll < 0.5 ? 'district' : roll < 0.8 ? 'municipal' : roll < 0.95 ? 'provincial' : 'national'
    const level = TIER_LEVEL[tier]
    const region =
      level === 'national'
        ? null
        : level === 'province'
          ? pick(rng, o.regions.provinces)
          : level === 'city'
            ? pick(rng, o.regions.cities)
            : pick(rng, o.regions.districts)
    const work = chance(rng, 0.7)
      ? region
        ? pick(
            rng,
            o.regions.districts.filter((d) => d.path.startsWith(region.path)),
          ).path
        : pick(rng, o.regions.districts).path
      : null
    const remaining = int(rng, capMin, capMax)
    const max = Math.max(1, remaining + int(rng, 0, 2))
    const active = max - remaining
    const domains: ExpertDomain[] = []
    const used = new Set<string>()
    const addDomain = (role: ExpertDomain['role']) => {
      const t = pick(rng, types)
      if (used.has(`${role}:${t}`) || (role !== 'specialty' && used.has(t))) return
      used.add(`${role}:${t}`)
      if (role !== 'specialty') used.add(t)
      domains.push({ disputeType: t, role, parentCategory: PARENT_CATEGORY[t] ?? null })
    }
    addDomain('primary')
    for (let k = int(rng, 0, 2); k > 0; k--) addDomain('secondary')
    if (chance(rng, 0.4)) addDomain('specialty')
    const professions = [...new Set([pick(rng, PROFESSIONS), ...(chance(rng, 0.3) ? [pick(rng, PROFESSIONS)] : [])])]
    const count = chance(rng, 0.3) ? 0 : int(rng, 1, 30)
    const avg = 2.5 + rng() * 2.5
    const employer = pick(rng, o.organisations)
    const termStart = addDays(o.asOf, -int(rng, 0, 4 * 365))
    const bad = chance(rng, unavailableRate) ? int(rng, 0, 3) : -1
    const id = `${prefix}${String(i).padStart(6, '0')}`
    experts.push({
      id,
      tier,
      regionCode: region?.code ?? null,
      regionPath: region?.path ?? null,
      workRegionPath: work,
      status: bad === 0 ? pick(rng, ['suspended', 'retired'] as const) : 'active',
      termStart,
      termEnd: bad === 1 ? addDays(o.asOf, -int(rng, 1, 60)) : addDays(termStart, 5 * 365 - 1),
      unavailable: bad === 2 ? [{ start: addDays(o.asOf, int(rng, -5, 20)), end: addDays(o.asOf, int(rng, 21, 60)) }] : [],
      maxConcurrentCases: max,
      activeCases: active,
      domains,
      professions,
      ratings: { count, sum: Math.round(count * avg) },
      lastAssignedOn: chance(rng, 0.2) ? null : addDays(o.asOf, -int(rng, 0, 400)),
      employerOrgId: chance(rng, 0.6) ? (employer.id ?? null) : null,
      employerName: employer.name,
      personIdHash: `h-${id}`,
      conflicts: {
        orgIds: chance(rng, conflictRate) ? [pick(rng, o.organisations).id!] : [],
        orgNames: chance(rng, conflictRate / 2) ? [pick(rng, o.organisations).name] : [],
        personIdHashes: chance(rng, conflictRate) ? [`h-party-${int(rng, 0, 999)}`] : [],
      },
      organisationId: employer.id ?? `name:${employer.name}`,
    })
  }
  return experts
}

export interface CaseOptions {
  asOf: string
  regions: RegionSet
  disputeTypes?: readonly string[]
  organisations: PartyOrganisation[]
  k?: [number, number]
  /** Share of cases with one rule; of cases with two (possibly crossing) rules. */
  ruleRate?: number
  twoRuleRate?: number
  neutralityRate?: number
  /** Expert ids to draw declined / pinned / party-person conflicts from. */
  expertIds?: readonly string[]
  idPrefix?: string
}

export function randomRequirement(rng: Rng): CaseRequirement {
  return chance(rng, 0.5)
    ? { kind: 'profession', profession: pick(rng, ['medicine', 'law', 'psychology', 'finance'] as const) }
    : { kind: 'minTier', tier: pick(rng, ['municipal', 'provincial'] as const) }
}

export function generateCases(rng: Rng, n: number, o: CaseOptions): MatchCase[] {
  const types = o.disputeTypes ?? DISPUTE_TYPES
  const [kMin, kMax] = o.k ?? [1, 3]
  const ruleRate = o.ruleRate ?? 0.3
  const twoRuleRate = o.twoRuleRate ?? 0
  const prefix = o.idPrefix ?? 'c'
  const cases: MatchCase[] = []
  for (let i = 0; i < n; i++) {
    const region = chance(rng, 0.9) ? pick(rng, o.regions.districts) : pick(rng, o.regions.cities)
    const disputeType = pick(rng, types)
    const difficulty: Difficulty = pick(rng, ['ordinary', 'ordinary', 'complex', 'complex', 'complex', 'major'] as const)
    const start = addDays(o.asOf, int(rng, 0, 10))
    const requirements: CaseRequirement[] = []
    const roll = rng()
    if (roll < twoRuleRate) {
      requirements.push(
        { kind: 'profession', profession: pick(rng, ['medicine', 'law'] as const) },
        { kind: 'minTier', tier: pick(rng, ['municipal', 'provincial'] as const) },
      )
    } else if (roll < twoRuleRate + ruleRate) {
      requirements.push(randomRequirement(rng))
    }
    const ids = o.expertIds ?? []
    cases.push({
      id: `${prefix}${String(i).padStart(6, '0')}`,
      disputeType,
      parentCategory: PARENT_CATEGORY[disputeType] ?? null,
      domains: chance(rng, 0.3) ? [pick(rng, types)].filter((t) => t !== disputeType) : [],
      regionCode: region.code,
      regionPath: region.path,
      difficulty,
      periodStart: start,
      periodEnd: addDays(start, int(rng, 14, 45)),
      expertsNeeded: int(rng, kMin, kMax),
      requirements,
      partyOrganisations: chance(rng, 0.6) ? [pick(rng, o.organisations)] : [],
      partyPersonIdHashes: [`h-party-${int(rng, 0, 999)}`, ...(ids.length && chance(rng, 0.05) ? [`h-${pick(rng, ids)}`] : [])],
      declinedExpertIds: ids.length && chance(rng, 0.1) ? [pick(rng, ids)] : [],
      pinnedConflictExpertIds: ids.length && chance(rng, 0.05) ? [pick(rng, ids)] : [],
      requiresOutsideRegion: chance(rng, o.neutralityRate ?? 0.1),
      lockedExpertIds: [],
    })
  }
  return cases
}
