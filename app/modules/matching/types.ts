/**
 * Input and output types of the matching core (issue 4), and its configurable defaults.
 *
 * The core is pure: no database, no Remix, no clock. The caller loads experts and cases, maps them
 * to these shapes (db/schema.ts → MatchExpert, case intake → MatchCase), passes "today" explicitly,
 * and stores the MatchConfig it used (versioned) next to every recommendation it records.
 *
 * Dates are `YYYY-MM-DD` strings (compared as text). Region paths are the materialised paths of
 * `regions.path` (`/110000/110108/`), always with leading and trailing slashes; a national (全国)
 * expert has no region (null).
 */
import type { ExpertStatus, ExpertTier } from '#db/schema.ts'
import type { DomainRole } from '#app/modules/experts/model.ts'

export type { DomainRole, ExpertStatus, ExpertTier }

/** Highest first: 全国, 省级, 市级, 区县级 (same order as experts/model.ts TIERS). */
export const MATCH_TIERS = ['national', 'provincial', 'municipal', 'district'] as const satisfies readonly ExpertTier[]

/** 一般 ordinary, 疑难复杂 complex, 重大 major. */
export const DIFFICULTIES = ['ordinary', 'complex', 'major'] as const
export type Difficulty = (typeof DIFFICULTIES)[number]

export interface DatePeriod {
  start: string
  end: string
}

export interface ExpertDomain {
  /** Dispute-type code (dispute_types.code), e.g. 医疗. */
  disputeType: string
  role: DomainRole
  /** Parent category of that dispute type, when the reference data has one (half credit, see score.ts). */
  parentCategory?: string | null
}

/** One expert as matching sees it: profile, availability, load, history and conflicts. */
export interface MatchExpert {
  /** experts.person_id */
  id: string
  tier: ExpertTier
  /** Region of the appointing body; null for the national tier. */
  regionCode: string | null
  /** Materialised path of regionCode (`/110000/110108/`); null for the national tier. */
  regionPath: string | null
  /**
   * Where the expert works (the employer's region), when known. Used for proximity and for
   * outside-region neutrality, which the appointing region alone cannot decide: a municipal expert
   * may well work in the very district of the case.
   */
  workRegionPath?: string | null
  status: ExpertStatus
  termStart: string
  termEnd: string
  /** Periods the expert cannot take cases (travel, illness). */
  unavailable: readonly DatePeriod[]
  maxConcurrentCases: number
  /** Cases the expert is working on now. */
  activeCases: number
  domains: readonly ExpertDomain[]
  /** Profession codes (experts/model.ts PROFESSIONS): 'law', 'medicine' (医学)… */
  professions: readonly string[]
  /** Ratings received (1-5): how many and their sum. */
  ratings: { count: number; sum: number }
  /** Last day the expert was assigned a case, or null if never. */
  lastAssignedOn: string | null
  employerOrgId: string | null
  /** 工作单位 as entered. */
  employerName: string
  /** lookupHash('id', …) of the expert's own ID number, to recognise the expert as a party. */
  personIdHash: string | null
  /** Declared conflicts in force on the case period (the caller filters by their dates). */
  conflicts: {
    orgIds: readonly string[]
    orgNames: readonly string[]
    personIdHashes: readonly string[]
  }
  /** Organisation used for diversity ("not all from one organisation"); null: never limited. */
  organisationId: string | null
}

export type CaseRequirement =
  /** At least `atLeast` (default 1) experts with this profession, e.g. 医学 'medicine'. */
  | { kind: 'profession'; profession: string; atLeast?: number }
  /** At least `atLeast` (default 1) experts of this tier or higher. */
  | { kind: 'minTier'; tier: ExpertTier; atLeast?: number }

export interface PartyOrganisation {
  id?: string | null
  name: string
}

/** One difficult case (疑难复杂纠纷) that needs experts. */
export interface MatchCase {
  id: string
  /** Dispute-type code of the case (统计用纠纷类型). */
  disputeType: string
  /** Parent category of the case's dispute type, when the reference data has one. */
  parentCategory?: string | null
  /** Further domains the case touches (dispute-type codes), e.g. 保险 in a traffic case. */
  domains: readonly string[]
  regionCode: string
  regionPath: string
  difficulty: Difficulty
  /** The period the experts are needed for. */
  periodStart: string
  periodEnd: string
  /** Experts needed, k ≥ 1 (locked picks included). */
  expertsNeeded: number
  requirements: readonly CaseRequirement[]
  partyOrganisations: readonly PartyOrganisation[]
  /** lookupHash('id', …) of the parties who are persons. */
  partyPersonIdHashes: readonly string[]
  /** Experts who declined this case before (not asked again). */
  declinedExpertIds: readonly string[]
  /** Conflicts an administrator pinned on this case (回避 decided by staff). */
  pinnedConflictExpertIds: readonly string[]
  /** The case must be handled by experts from outside its region (neutrality). */
  requiresOutsideRegion: boolean
  /** Experts already chosen for this case (kept by a batch re-run). */
  lockedExpertIds: readonly string[]
}

// ---------------------------------------------------------------------------------------------
// Configuration

export type ScoreComponent = 'domain' | 'tier' | 'proximity' | 'rating' | 'load' | 'rotation'
export const SCORE_COMPONENTS = ['domain', 'tier', 'proximity', 'rating', 'load', 'rotation'] as const satisfies readonly ScoreComponent[]

/**
 * Every number of the matching policy. Municipal staff edit it; the caller stores each version
 * and records which one produced a recommendation. Validate with `validateMatchConfig`.
 */
export interface MatchConfig {
  /** Relative weights; the total is Σ wᵢ·cᵢ / Σ wᵢ, so it stays in [0, 1] whatever the weights. */
  weights: Record<ScoreComponent, number>
  domain: {
    primary: number
    secondary: number
    /** A "handled best" (擅长) dispute type without a primary/secondary entry for it. */
    specialty: number
    /** Added when the expert lists the case's dispute type as handled best; the sum is capped at 1. */
    specialtyBonus: number
    /** Credit factor when only the parent category matches (half credit). */
    parentCategoryFactor: number
    /** Whether a parent-category match alone satisfies the "domain covered" constraint. */
    parentCategoryCovers: boolean
  }
  /** Which tiers may serve a case of each difficulty (the region rule applies on top). */
  tierAllowed: Record<Difficulty, Record<ExpertTier, boolean>>
  /** How well each tier fits each difficulty, in [0, 1] (a gentle penalty for national experts on ordinary cases). */
  tierFit: Record<Difficulty, Record<ExpertTier, number>>
  proximity: {
    /** By how many levels the closest common region lies above the case region: 0 same region, 1 its parent… */
    byLevelsUp: readonly number[]
    /** National experts with no work region. */
    national: number
    /** No region in common (another province). */
    unrelated: number
  }
  rating: {
    /** Bayesian prior: the mean m and its weight C (in ratings): avg = (C·m + sum) / (C + count). */
    priorMean: number
    priorWeight: number
    scaleMin: number
    scaleMax: number
  }
  rotation: {
    /** Days after which an idle expert gets the full rotation credit. */
    horizonDays: number
    /** Credit of an expert never assigned. */
    neverAssigned: number
  }
  term: {
    /** Require the term to last until the end of the case period (otherwise: cover its start). */
    mustCoverCasePeriod: boolean
  }
  batch: {
    /**
     * Convex load cost, in score units: assigning an expert their L-th case of capacity M costs
     * loadPenalty·(2L − 1)/M more, so L cases cost loadPenalty·L²/M in all.
     */
    loadPenalty: number
    /** Time limit of the HiGHS MIP used for non-laminar rule sets, in seconds. */
    mipTimeLimitSeconds: number
  }
  recommend: {
    /** Length of the recommendation list. */
    limit: number
    /** Short reasons per recommended expert. */
    reasonsPerExpert: number
    /** A score component is given as a reason only from this value up. */
    reasonMinComponent: number
    /** Expert ids kept per exclusion group (for "show who"). */
    excludedIdsPerGroup: number
    /**
     * "避免集中于同一单位": when staff ask for a diversified list, at most this many experts of one
     * organisation in the top list (others move below, flagged `deferredForDiversity`).
     */
    maxPerOrganisation: number
  }
}

export const DEFAULT_MATCH_CONFIG: MatchConfig = {
  weights: { domain: 0.35, tier: 0.15, proximity: 0.15, rating: 0.15, load: 0.1, rotation: 0.1 },
  domain: { primary: 1, secondary: 0.6, specialty: 0.6, specialtyBonus: 0.2, parentCategoryFactor: 0.5, parentCategoryCovers: true },
  tierAllowed: {
    ordinary: { national: true, provincial: true, municipal: true, district: true },
    complex: { national: true, provincial: true, municipal: true, district: true },
    major: { national: true, provincial: true, municipal: true, district: false },
  },
  tierFit: {
    ordinary: { national: 0.5, provincial: 0.7, municipal: 0.9, district: 1 },
    complex: { national: 0.85, provincial: 1, municipal: 1, district: 0.7 },
    major: { national: 1, provincial: 1, municipal: 0.8, district: 0.3 },
  },
  proximity: { byLevelsUp: [1, 0.7, 0.4, 0.2], national: 0.1, unrelated: 0 },
  rating: { priorMean: 3.5, priorWeight: 5, scaleMin: 1, scaleMax: 5 },
  rotation: { horizonDays: 180, neverAssigned: 1 },
  term: { mustCoverCasePeriod: false },
  batch: { loadPenalty: 0.1, mipTimeLimitSeconds: 20 },
  recommend: { limit: 20, reasonsPerExpert: 3, reasonMinComponent: 0.5, excludedIdsPerGroup: 50, maxPerOrganisation: 2 },
}

// ---------------------------------------------------------------------------------------------
// Exclusion reasons (hard constraints)

/** Why an expert cannot serve a case: one reason per failed constraint, with what the UI shows. */
export type ExclusionReason =
  | { code: 'status.inactive'; status: ExpertStatus }
  | { code: 'term.notStarted'; termStart: string }
  | { code: 'term.expired'; termEnd: string }
  | { code: 'term.endsDuringCase'; termEnd: string }
  | { code: 'availability.unavailable'; start: string; end: string }
  | { code: 'capacity.full'; active: number; max: number }
  | { code: 'domain.notCovered'; disputeType: string }
  | { code: 'region.outsideHierarchy'; expertRegion: string | null }
  | { code: 'tier.notAllowed'; tier: ExpertTier; difficulty: Difficulty }
  | { code: 'conflict.declaredOrganisation'; orgName: string }
  | { code: 'conflict.declaredPerson' }
  | { code: 'conflict.partyOrganisation'; orgName: string }
  | { code: 'conflict.isParty' }
  | { code: 'conflict.declined' }
  | { code: 'conflict.pinned' }
  | { code: 'neutrality.sameRegion'; regionCode: string }

export type ExclusionCode = ExclusionReason['code']

/** Families for grouping ("12 位因利益冲突回避"). */
export type ExclusionFamily = 'availability' | 'domain' | 'tier' | 'conflict' | 'neutrality'

export type Eligibility = { eligible: true } | { eligible: false; reasons: ExclusionReason[] }

// ---------------------------------------------------------------------------------------------
// Scores

export type ScoreComponents = Record<ScoreComponent, number>

export interface ExpertScore {
  components: ScoreComponents
  /** Σ wᵢ·cᵢ / Σ wᵢ, in [0, 1]. */
  total: number
}
