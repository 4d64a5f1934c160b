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

export { checkPath }

export interface CaseCandidates {
  /** Indices (ascending) of experts in the region line who cover the case's domain. */
  candidates: Int32Array
  /** Experts in the region line (any domain). */
  inRegionLine: number
  /** Experts covering the domain (any region). */
  inDomain: number
  /** Membership stamps, valid until the next call: regionStamp[e] === stamp ⇔ in the region line. */
  regionStamp: Int32Array
  domainStamp: Int32Array
  stamp: number
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
    return { candidates, inRegionLine, inDomain, regionStamp, domainStamp, stamp }
  }
}

/** A pool from an array (built on each call: keep an ExpertPool to reuse the index). */
export function toPool(experts: ExpertPool | readonly MatchExpert[]): ExpertPool {
  return experts instanceof ExpertPool ? experts : new ExpertPool(experts)
}
