/**
 * Hard constraints: whether an expert may serve a case at all, and if not, why.
 *
 * Every constraint that fails gives exactly one reason (a typed code plus what the UI shows), so
 * staff see the whole picture ("conflicted and at capacity"), and the reasons can be grouped
 * ("12 位因利益冲突回避"). One evaluation function serves two callers:
 * - `exclusionMask` (hot loop over 50,000 experts): a bit per failed constraint, no allocation;
 * - `exclusionReasons` / `checkEligibility`: the same checks, with the reasons spelled out.
 * Keeping them one function means the fast path and the explained path can never disagree.
 */
import {
  type Eligibility,
  type ExclusionCode,
  type ExclusionFamily,
  type ExclusionReason,
  type ExpertTier,
  type MatchCase,
  type MatchConfig,
  type MatchExpert,
  DEFAULT_MATCH_CONFIG,
} from './types.ts'
import { messageRef, normalisedOrgName } from './util.ts'

/** Bit order of the exclusion mask (stable: stored masks and tests rely on it). */
export const EXCLUSION_CODES = [
  'status.inactive',
  'term.notStarted',
  'term.expired',
  'term.endsDuringCase',
  'availability.unavailable',
  'capacity.full',
  'domain.notCovered',
  'region.outsideHierarchy',
  'tier.notAllowed',
  'conflict.declaredOrganisation',
  'conflict.declaredPerson',
  'conflict.partyOrganisation',
  'conflict.isParty',
  'conflict.declined',
  'conflict.pinned',
  'neutrality.sameRegion',
] as const satisfies readonly ExclusionCode[]

// Compile-time check that the list above names every code exactly once.
type MissingCode = Exclude<ExclusionCode, (typeof EXCLUSION_CODES)[number]>
const _allCodesListed: MissingCode extends never ? true : never = true
void _allCodesListed

export const EXCLUSION_BIT = Object.fromEntries(EXCLUSION_CODES.map((code, i) => [code, 1 << i])) as Record<ExclusionCode, number>

export const EXCLUSION_FAMILIES = ['conflict', 'availability', 'domain', 'tier', 'neutrality'] as const satisfies readonly ExclusionFamily[]

export function familyOf(code: ExclusionCode): ExclusionFamily {
  const head = code.slice(0, code.indexOf('.'))
  switch (head) {
    case 'status':
    case 'term':
    case 'availability':
    case 'capacity':
      return 'availability'
    case 'domain':
      return 'domain'
    case 'region':
    case 'tier':
      return 'tier'
    case 'conflict':
      return 'conflict'
    default:
      return 'neutrality'
  }
}

const FAMILY_MASK = Object.fromEntries(
  EXCLUSION_FAMILIES.map((f) => [f, EXCLUSION_CODES.reduce((m, code, i) => (familyOf(code) === f ? m | (1 << i) : m), 0)]),
) as Record<ExclusionFamily, number>

/** Everything about the case the checks need, prepared once per case (sets, normalised names). */
export interface CaseContext {
  readonly kase: MatchCase
  readonly config: MatchConfig
  readonly topics: ReadonlySet<string>
  /** parentCategory ?? disputeType: what a parent-category match compares with. */
  readonly category: string
  readonly partyOrgIds: ReadonlyMap<string, string>
  /** Normalised name → name as entered on the case. */
  readonly partyOrgNames: ReadonlyMap<string, string>
  readonly partyPersonHashes: ReadonlySet<string>
  readonly declined: ReadonlySet<string>
  readonly pinned: ReadonlySet<string>
  readonly locked: ReadonlySet<string>
  readonly tierAllowed: Readonly<Record<ExpertTier, boolean>>
  /** The day the term must still run on: the case start, or its end when the config says so. */
  readonly termMustRunUntil: string
}

export function caseContext(kase: MatchCase, config: MatchConfig = DEFAULT_MATCH_CONFIG): CaseContext {
  const partyOrgIds = new Map<string, string>()
  const partyOrgNames = new Map<string, string>()
  for (const org of kase.partyOrganisations) {
    if (org.id) partyOrgIds.set(org.id, org.name)
    const key = normalisedOrgName(org.name)
    if (key) partyOrgNames.set(key, org.name)
  }
  return {
    kase,
    config,
    topics: new Set([kase.disputeType, ...kase.domains]),
    category: kase.parentCategory ?? kase.disputeType,
    partyOrgIds,
    partyOrgNames,
    partyPersonHashes: new Set(kase.partyPersonIdHashes),
    declined: new Set(kase.declinedExpertIds),
    pinned: new Set(kase.pinnedConflictExpertIds),
    locked: new Set(kase.lockedExpertIds),
    tierAllowed: config.tierAllowed[kase.difficulty],
    termMustRunUntil: config.term.mustCoverCasePeriod ? kase.periodEnd : kase.periodStart,
  }
}

/** Whether the expert covers the case's dispute type or domains (or, if allowed, its parent category). */
export function coversDomain(expert: MatchExpert, ctx: CaseContext): boolean {
  const parentCovers = ctx.config.domain.parentCategoryCovers
  for (const d of expert.domains) {
    if (ctx.topics.has(d.disputeType)) return true
    if (parentCovers && (d.parentCategory ?? d.disputeType) === ctx.category) return true
  }
  return false
}

/**
 * The one evaluation of every constraint. Returns the mask of failed constraints; when `sink` is
 * given, also pushes one reason per failed constraint. With `firstOnly` it stops at the first
 * failure (the batch only needs yes/no for hundreds of thousands of pairs); otherwise every
 * constraint is evaluated so the reasons are complete.
 */
function evaluate(expert: MatchExpert, ctx: CaseContext, sink: ExclusionReason[] | null, firstOnly = false): number {
  const kase = ctx.kase
  let mask = 0

  // Active and within term (on the case start, or for the whole case period if configured).
  if (expert.status !== 'active') {
    mask |= EXCLUSION_BIT['status.inactive']
    sink?.push({ code: 'status.inactive', status: expert.status })
  }
  if (firstOnly && mask) return mask
  if (expert.termStart > kase.periodStart) {
    mask |= EXCLUSION_BIT['term.notStarted']
    sink?.push({ code: 'term.notStarted', termStart: expert.termStart })
  }
  if (firstOnly && mask) return mask
  if (expert.termEnd < kase.periodStart) {
    mask |= EXCLUSION_BIT['term.expired']
    sink?.push({ code: 'term.expired', termEnd: expert.termEnd })
  } else if (expert.termEnd < ctx.termMustRunUntil) {
    mask |= EXCLUSION_BIT['term.endsDuringCase']
    sink?.push({ code: 'term.endsDuringCase', termEnd: expert.termEnd })
  }
  if (firstOnly && mask) return mask

  // Available for the case period: no unavailable period overlaps it.
  const away = expert.unavailable
  for (let i = 0; i < away.length; i++) {
    const p = away[i]!
    if (p.start <= kase.periodEnd && p.end >= kase.periodStart) {
      mask |= EXCLUSION_BIT['availability.unavailable']
      sink?.push({ code: 'availability.unavailable', start: p.start, end: p.end })
      break
    }
  }
  if (firstOnly && mask) return mask

  if (expert.activeCases >= expert.maxConcurrentCases) {
    mask |= EXCLUSION_BIT['capacity.full']
    sink?.push({ code: 'capacity.full', active: expert.activeCases, max: expert.maxConcurrentCases })
  }
  if (firstOnly && mask) return mask

  if (!coversDomain(expert, ctx)) {
    mask |= EXCLUSION_BIT['domain.notCovered']
    sink?.push({ code: 'domain.notCovered', disputeType: kase.disputeType })
  }
  if (firstOnly && mask) return mask

  // Lower levels may call on higher tiers of their own line, never sideways: the expert's
  // appointing region must be the case region or one of its ancestors (national: everyone's).
  if (expert.regionPath !== null && !kase.regionPath.startsWith(expert.regionPath)) {
    mask |= EXCLUSION_BIT['region.outsideHierarchy']
    sink?.push({ code: 'region.outsideHierarchy', expertRegion: expert.regionCode })
  }
  if (firstOnly && mask) return mask
  if (!ctx.tierAllowed[expert.tier]) {
    mask |= EXCLUSION_BIT['tier.notAllowed']
    sink?.push({ code: 'tier.notAllowed', tier: expert.tier, difficulty: kase.difficulty })
  }
  if (firstOnly && mask) return mask

  // Conflicts of interest (回避).
  if (ctx.partyOrgIds.size || ctx.partyOrgNames.size) {
    const declared = declaredOrgConflict(expert, ctx)
    if (declared !== null) {
      mask |= EXCLUSION_BIT['conflict.declaredOrganisation']
      sink?.push({ code: 'conflict.declaredOrganisation', orgName: declared })
    }
    const employer = employerConflict(expert, ctx)
    if (employer !== null) {
      mask |= EXCLUSION_BIT['conflict.partyOrganisation']
      sink?.push({ code: 'conflict.partyOrganisation', orgName: employer })
    }
  }
  if (firstOnly && mask) return mask
  if (ctx.partyPersonHashes.size) {
    const hashes = expert.conflicts.personIdHashes
    for (let i = 0; i < hashes.length; i++) {
      if (ctx.partyPersonHashes.has(hashes[i]!)) {
        mask |= EXCLUSION_BIT['conflict.declaredPerson']
        sink?.push({ code: 'conflict.declaredPerson' })
        break
      }
    }
    if (expert.personIdHash !== null && ctx.partyPersonHashes.has(expert.personIdHash)) {
      mask |= EXCLUSION_BIT['conflict.isParty']
      sink?.push({ code: 'conflict.isParty' })
    }
  }
  if (firstOnly && mask) return mask
  if (ctx.declined.has(expert.id)) {
    mask |= EXCLUSION_BIT['conflict.declined']
    sink?.push({ code: 'conflict.declined' })
  }
  if (firstOnly && mask) return mask
  if (ctx.pinned.has(expert.id)) {
    mask |= EXCLUSION_BIT['conflict.pinned']
    sink?.push({ code: 'conflict.pinned' })
  }
  if (firstOnly && mask) return mask

  // Neutrality: nobody appointed in, or working in, the case's own region.
  if (kase.requiresOutsideRegion) {
    const appointedInside = expert.regionPath?.startsWith(kase.regionPath) ?? false
    const worksInside = expert.workRegionPath?.startsWith(kase.regionPath) ?? false
    if (appointedInside || worksInside) {
      mask |= EXCLUSION_BIT['neutrality.sameRegion']
      sink?.push({ code: 'neutrality.sameRegion', regionCode: kase.regionCode })
    }
  }
  return mask
}

function declaredOrgConflict(expert: MatchExpert, ctx: CaseContext): string | null {
  const ids = expert.conflicts.orgIds
  for (let i = 0; i < ids.length; i++) {
    const name = ctx.partyOrgIds.get(ids[i]!)
    if (name !== undefined) return name
  }
  const names = expert.conflicts.orgNames
  for (let i = 0; i < names.length; i++) {
    const name = ctx.partyOrgNames.get(normalisedOrgName(names[i]!))
    if (name !== undefined) return name
  }
  return null
}

function employerConflict(expert: MatchExpert, ctx: CaseContext): string | null {
  if (expert.employerOrgId !== null) {
    const name = ctx.partyOrgIds.get(expert.employerOrgId)
    if (name !== undefined) return name
  }
  if (expert.employerName) {
    const name = ctx.partyOrgNames.get(normalisedOrgName(expert.employerName))
    if (name !== undefined) return name
  }
  return null
}

/** Bit mask of the failed constraints; 0 means eligible. Allocation-free. */
export function exclusionMask(expert: MatchExpert, ctx: CaseContext): number {
  return evaluate(expert, ctx, null)
}

/** Eligible or not, stopping at the first failed constraint (batch pair generation). */
export function isEligible(expert: MatchExpert, ctx: CaseContext): boolean {
  return evaluate(expert, ctx, null, true) === 0
}

/** One reason per failed constraint, in a stable order; empty means eligible. */
export function exclusionReasons(expert: MatchExpert, ctx: CaseContext): ExclusionReason[] {
  const reasons: ExclusionReason[] = []
  evaluate(expert, ctx, reasons)
  return reasons
}

export function checkEligibility(expert: MatchExpert, kase: MatchCase, config: MatchConfig = DEFAULT_MATCH_CONFIG): Eligibility {
  const reasons = exclusionReasons(expert, caseContext(kase, config))
  return reasons.length ? { eligible: false, reasons } : { eligible: true }
}

export function codesOfMask(mask: number): ExclusionCode[] {
  return EXCLUSION_CODES.filter((_, i) => mask & (1 << i))
}

/** `matching.excluded.conflict.partyOrganisation?orgName=…` for the UI to translate. */
export function exclusionRef(reason: ExclusionReason): string {
  const { code, ...params } = reason
  return messageRef(`matching.excluded.${code}`, params as Record<string, string | number | null>)
}

// ---------------------------------------------------------------------------------------------
// Grouping

export interface ExclusionCodeCount {
  code: ExclusionCode
  /** Experts excluded (among other reasons) by this constraint. */
  count: number
  /** Experts for whom this is the only reason: lifting it alone would make them eligible. */
  onlyReason: number
  /** The first few experts with this reason (config.recommend.excludedIdsPerGroup). */
  expertIds: string[]
}

export interface ExclusionGroup {
  family: ExclusionFamily
  /** Experts with at least one reason in this family, counted once. */
  count: number
  /** `matching.excludedGroup.conflict?count=12` → "12 位因利益冲突回避". */
  message: string
  codes: ExclusionCodeCount[]
}

export interface ExclusionSummary {
  /** Experts excluded for any reason. */
  total: number
  /** Largest first; families with nobody excluded are left out. */
  groups: ExclusionGroup[]
}

/**
 * Counts excluded experts by reason as they stream past: a histogram of masks (few distinct
 * values), so adding an expert is one map update, plus a bit test to keep the first few ids per
 * code for display. Per-code and per-family counts are derived from the histogram at the end.
 */
export class ExclusionTally {
  private readonly histogram = new Map<number, number>()
  private readonly ids: string[][] = EXCLUSION_CODES.map(() => [])
  /** Codes whose id list still has room. */
  private open: number

  constructor(readonly idsPerCode: number = DEFAULT_MATCH_CONFIG.recommend.excludedIdsPerGroup) {
    this.open = idsPerCode > 0 ? (1 << EXCLUSION_CODES.length) - 1 : 0
  }

  add(mask: number, expertId: string): void {
    if (mask === 0) return
    this.histogram.set(mask, (this.histogram.get(mask) ?? 0) + 1)
    if (mask & this.open) this.keep(mask, expertId)
  }

  /** `count` experts with the same mask at once; `ids` are some of them (for display). */
  addMany(mask: number, count: number, ids: Iterable<string>): void {
    if (mask === 0 || count <= 0) return
    this.histogram.set(mask, (this.histogram.get(mask) ?? 0) + count)
    if (!(mask & this.open)) return
    for (const id of ids) {
      if (!(mask & this.open)) break
      this.keep(mask, id)
    }
  }

  /** Whether ids with this mask would still be kept (lets callers skip collecting them). */
  wantsIds(mask: number): boolean {
    return (mask & this.open) !== 0
  }

  private keep(mask: number, expertId: string) {
    let bits = mask & this.open
    while (bits) {
      const low = bits & -bits
      const i = 31 - Math.clz32(low)
      const list = this.ids[i]!
      list.push(expertId)
      if (list.length >= this.idsPerCode) this.open &= ~low
      bits ^= low
    }
  }

  summary(): ExclusionSummary {
    let total = 0
    const codeCounts = new Array<number>(EXCLUSION_CODES.length).fill(0)
    const onlyCounts = new Array<number>(EXCLUSION_CODES.length).fill(0)
    const familyCounts = new Array<number>(EXCLUSION_FAMILIES.length).fill(0)
    for (const [mask, n] of this.histogram) {
      total += n
      const single = (mask & (mask - 1)) === 0
      for (let i = 0; i < EXCLUSION_CODES.length; i++) {
        if (!(mask & (1 << i))) continue
        codeCounts[i]! += n
        if (single) onlyCounts[i]! += n
      }
      EXCLUSION_FAMILIES.forEach((f, fi) => {
        if (mask & FAMILY_MASK[f]) familyCounts[fi]! += n
      })
    }
    const groups: ExclusionGroup[] = []
    EXCLUSION_FAMILIES.forEach((family, f) => {
      const count = familyCounts[f]!
      if (!count) return
      const codes: ExclusionCodeCount[] = []
      EXCLUSION_CODES.forEach((code, i) => {
        if (familyOf(code) === family && codeCounts[i]) {
          codes.push({ code, count: codeCounts[i]!, onlyReason: onlyCounts[i]!, expertIds: [...this.ids[i]!] })
        }
      })
      codes.sort((a, b) => b.count - a.count)
      groups.push({ family, count, message: messageRef(`matching.excludedGroup.${family}`, { count }), codes })
    })
    // Stable: equal counts keep the family order (conflicts first: what staff look for).
    groups.sort((a, b) => b.count - a.count)
    return { total, groups }
  }
}

/** Groups already explained exclusions (e.g. from `checkEligibility` over a short list). */
export function groupExclusions(
  excluded: Iterable<{ expertId: string; reasons: readonly ExclusionReason[] }>,
  idsPerCode?: number,
): ExclusionSummary {
  const tally = new ExclusionTally(idsPerCode)
  for (const { expertId, reasons } of excluded) tally.add(maskOf(reasons), expertId)
  return tally.summary()
}

export function maskOf(reasons: readonly ExclusionReason[]): number {
  let mask = 0
  for (const r of reasons) mask |= EXCLUSION_BIT[r.code]
  return mask
}
