/**
 * An index over the expert pool for cheap pre-filtering: who sits in a case's region line (the
 * case region, its ancestors, the national tier) and who covers its dispute type, domains or
 * category. Only experts in both can pass the region and domain constraints, so only they get the
 * full constraint evaluation and a score; everyone else is excluded by one or both of those two
 * constraints, which the index already knows without looking at the expert.
 *
 * Build it once per pool snapshot and reuse it across requests (the caller keeps it with the
 * loaded experts and rebuilds when the pool changes); building costs about as much as one full
 * scan. The index never mutates the experts.
 */
import type { MatchCase, MatchExpert } from './types.ts'
import { ancestorPaths } from './util.ts'

function checkPath(path: string | null | undefined, what: string) {
  if (path != null && (path.length < 2 || path[0] !== '/' || path[path.length - 1] !== '/')) {
    throw new Error(`${what}: region path must look like /110000/110108/, got ${JSON.stringify(path)}`)
  }
}

export interface CaseCandidates {
  /** Indices (ascending) of experts in the region line who cover the case's domain. */
  candidates: Int32Array
  /** Experts in the region line (any domain). */
  inRegionLine: number
  /** Experts covering the domain (any region). */
  inDomain: number
  /** Membership of one expert (valid until the next query on the same pool). */
  isInRegionLine(e: number): boolean
  isInDomain(e: number): boolean
}

export class ExpertPool {
  readonly experts: readonly MatchExpert[]
  readonly indexOf: ReadonlyMap<string, number>
  private readonly byRegion = new Map<string, number[]>()
  private readonly byTopic = new Map<string, number[]>()
  private readonly byCategory = new Map<string, number[]>()
  private readonly regionStamp: Int32Array
  private readonly domainStamp: Int32Array
  private stamp = 0
  /** (region path, dispute type or category) → experts; built on first use (batch only). */
  private byRegionTopic: Map<string, number[]> | null = null

  constructor(experts: readonly MatchExpert[]) {
    this.experts = experts
    const indexOf = new Map<string, number>()
    this.regionStamp = new Int32Array(experts.length)
    this.domainStamp = new Int32Array(experts.length)
    const push = (map: Map<string, number[]>, key: string, e: number) => {
      const list = map.get(key)
      if (!list) map.set(key, [e])
      else if (list[list.length - 1] !== e) list.push(e)
    }
    experts.forEach((expert, e) => {
      if (indexOf.has(expert.id)) throw new Error(`Duplicate expert id ${expert.id}`)
      indexOf.set(expert.id, e)
      checkPath(expert.regionPath, `expert ${expert.id}`)
      checkPath(expert.workRegionPath, `expert ${expert.id} (work region)`)
      push(this.byRegion, expert.regionPath ?? '', e)
      for (const d of expert.domains) {
        push(this.byTopic, d.disputeType, e)
        push(this.byCategory, d.parentCategory ?? d.disputeType, e)
      }
    })
    this.indexOf = indexOf
  }

  get size(): number {
    return this.experts.length
  }

  /** Experts covering a dispute type (any role, any region). */
  coveringType(disputeType: string): number {
    return this.byTopic.get(disputeType)?.length ?? 0
  }

  coveringCategory(category: string): number {
    return this.byCategory.get(category)?.length ?? 0
  }

  /**
   * The case's candidates: region line ∩ domain. `category` is the case's parent category (or its
   * dispute type) when parent-category matches count as coverage, else null.
   */
  candidates(kase: MatchCase, category: string | null): CaseCandidates {
    checkPath(kase.regionPath, `case ${kase.id}`)
    const stamp = ++this.stamp
    const { regionStamp, domainStamp } = this
    let inRegionLine = 0
    for (const path of ['', ...ancestorPaths(kase.regionPath)]) {
      const list = this.byRegion.get(path)
      if (!list) continue
      for (let i = 0; i < list.length; i++) regionStamp[list[i]!] = stamp
      inRegionLine += list.length
    }
    const out: number[] = []
    let inDomain = 0
    const visit = (list: number[] | undefined) => {
      if (!list) return
      for (let i = 0; i < list.length; i++) {
        const e = list[i]!
        if (domainStamp[e] === stamp) continue
        domainStamp[e] = stamp
        inDomain++
        if (regionStamp[e] === stamp) out.push(e)
      }
    }
    visit(this.byTopic.get(kase.disputeType))
    for (const t of kase.domains) visit(this.byTopic.get(t))
    if (category !== null) visit(this.byCategory.get(category))
    const candidates = Int32Array.from(out).sort()
    return {
      candidates,
      inRegionLine,
      inDomain,
      isInRegionLine: (e) => regionStamp[e] === stamp,
      isInDomain: (e) => domainStamp[e] === stamp,
    }
  }

  /** Same candidates as `candidates()`, without the outsider counts, visiting only them. */
  candidatesOnly(kase: MatchCase, category: string | null): Int32Array {
    checkPath(kase.regionPath, `case ${kase.id}`)
    const index = this.byRegionTopic ?? this.buildRegionTopicIndex()
    const stamp = ++this.stamp
    const seen = this.domainStamp
    const out: number[] = []
    const take = (key: string) => {
      const list = index.get(key)
      if (!list) return
      for (let i = 0; i < list.length; i++) {
        const e = list[i]!
        if (seen[e] !== stamp) {
          seen[e] = stamp
          out.push(e)
        }
      }
    }
    for (const region of ['', ...ancestorPaths(kase.regionPath)]) {
      take(`${region}|${kase.disputeType}`)
      for (const t of kase.domains) take(`${region}|${t}`)
      if (category !== null) take(`${region}^${category}`)
    }
    return Int32Array.from(out).sort()
  }

  private buildRegionTopicIndex(): Map<string, number[]> {
    const index = new Map<string, number[]>()
    const push = (key: string, e: number) => {
      const list = index.get(key)
      if (!list) index.set(key, [e])
      else if (list[list.length - 1] !== e) list.push(e)
    }
    this.experts.forEach((expert, e) => {
      const region = expert.regionPath ?? ''
      for (const d of expert.domains) {
        push(`${region}|${d.disputeType}`, e)
        push(`${region}^${d.parentCategory ?? d.disputeType}`, e)
      }
    })
    this.byRegionTopic = index
    return index
  }
}

/**
 * The same answer as `ExpertPool.candidates` by one linear pass over a plain array: cheaper than
 * building an index used once. `covers` is the domain test (constraints.ts coversDomain).
 */
export function scanCandidates(kase: MatchCase, experts: readonly MatchExpert[], covers: (expert: MatchExpert) => boolean): CaseCandidates {
  checkPath(kase.regionPath, `case ${kase.id}`)
  const n = experts.length
  const flags = new Uint8Array(n)
  const out: number[] = []
  let inRegionLine = 0
  let inDomain = 0
  for (let e = 0; e < n; e++) {
    const expert = experts[e]!
    checkPath(expert.regionPath, `expert ${expert.id}`)
    const region = expert.regionPath === null || kase.regionPath.startsWith(expert.regionPath)
    const domain = covers(expert)
    flags[e] = (region ? 1 : 0) | (domain ? 2 : 0)
    if (region) inRegionLine++
    if (domain) inDomain++
    if (region && domain) out.push(e)
  }
  return {
    candidates: Int32Array.from(out),
    inRegionLine,
    inDomain,
    isInRegionLine: (e) => (flags[e]! & 1) !== 0,
    isInDomain: (e) => (flags[e]! & 2) !== 0,
  }
}
