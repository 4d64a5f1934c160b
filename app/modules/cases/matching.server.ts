/**
 * The database side of matching: the versioned configuration, experts as `MatchExpert` (with an
 * in-process `ExpertPool` cache refreshed by version stamps, pool-version.server.ts), cases as `MatchCase`, and stored
 * recommendations. The matching core (app/modules/matching) stays pure.
 */
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { parseJsonList } from '#app/modules/experts/model.ts'
import { ExpertPool } from '#app/modules/matching/pool.ts'
import { type Recommendation, recommend } from '#app/modules/matching/recommend.ts'
import {
  type CaseRequirement,
  DEFAULT_MATCH_CONFIG,
  type MatchCase,
  type MatchConfig,
  type MatchExpert,
} from '#app/modules/matching/types.ts'
import { validateMatchConfig } from '#app/modules/matching/config.ts'
import { ACTIVE_STATUSES } from './model.ts'
import { readPoolStamp } from './pool-version.server.ts'

// ---------------------------------------------------------------------------------------------
// Configuration (versioned)

export const DEFAULT_SUBSIDY_FEN_PER_HOUR = 20_000

export interface ActiveConfig {
  version: number
  config: MatchConfig
  subsidyFenPerHour: number
}

/** The highest stored version, or the built-in defaults as version 0. */
export async function activeMatchConfig(db: Executor): Promise<ActiveConfig> {
  const row = await db.selectFrom('match_configs').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst()
  if (!row) return { version: 0, config: DEFAULT_MATCH_CONFIG, subsidyFenPerHour: DEFAULT_SUBSIDY_FEN_PER_HOUR }
  const stored = JSON.parse(row.config) as MatchConfig
  // Versions saved before a setting existed take its default (e.g. recommend.maxPerOrganisation).
  const config: MatchConfig = { ...stored, recommend: { ...DEFAULT_MATCH_CONFIG.recommend, ...stored.recommend } }
  return { version: row.version, config, subsidyFenPerHour: row.subsidy_fen_per_hour }
}

/** Stores a new version (previous ones stay for the recommendations that used them). */
export async function saveMatchConfig(
  db: Executor,
  config: MatchConfig,
  subsidyFenPerHour: number,
  userId: string | null,
  note: string | null = null,
): Promise<{ ok: true; version: number } | { ok: false; problems: string[] }> {
  const problems = validateMatchConfig(config)
  if (problems.length) return { ok: false, problems }
  const last = await db.selectFrom('match_configs').select(sql<number>`max(version)`.as('v')).executeTakeFirst()
  const version = Number(last?.v ?? 0) + 1
  await db
    .insertInto('match_configs')
    .values({
      version,
      config: JSON.stringify(config),
      subsidy_fen_per_hour: subsidyFenPerHour,
      note,
      created_by: userId,
      created_at: nowIso(),
    })
    .execute()
  return { ok: true, version }
}

// ---------------------------------------------------------------------------------------------
// Experts

/** Every expert (any status: inactive ones are reported as excluded), read from the database. */
export async function loadMatchExperts(db: Executor, today: string, onlyIds?: readonly string[]): Promise<MatchExpert[]> {
  if (onlyIds && !onlyIds.length) return []
  let q = db
    .selectFrom('experts as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('regions as r', 'r.code', 'e.region_code')
    .leftJoin('organisations as eo', 'eo.id', 'e.employer_org_id')
    .leftJoin('regions as wr', 'wr.code', 'eo.region_code')
    .leftJoin('expert_loads as l', 'l.expert_id', 'e.person_id')
    .select([
      'e.person_id',
      'e.tier',
      'e.region_code',
      'r.path as region_path',
      'wr.path as work_region_path',
      'e.status',
      'e.term_start',
      'e.term_end',
      'e.max_concurrent_cases',
      'e.professions',
      'e.employer',
      'e.employer_org_id',
      'p.id_number_hash',
      'l.active_count',
      'l.rating_count',
      'l.rating_sum',
      'l.last_assigned_on',
    ])
  if (onlyIds) q = q.where('e.person_id', 'in', onlyIds)
  const experts = await q.orderBy('e.person_id').execute()
  const ids = onlyIds ?? null
  let dq = db.selectFrom('expert_domains').select(['expert_id', 'dispute_type_code', 'role'])
  let uq = db.selectFrom('expert_unavailability').select(['expert_id', 'start_date', 'end_date']).where('end_date', '>=', today)
  let cq = db
    .selectFrom('expert_conflicts')
    .select(['expert_id', 'kind', 'name', 'org_id', 'id_number_hash'])
    .where(sql<boolean>`(end_date is null or end_date >= ${today})`)
    .where(sql<boolean>`(start_date is null or start_date <= ${today})`)
  if (ids) {
    dq = dq.where('expert_id', 'in', ids)
    uq = uq.where('expert_id', 'in', ids)
    cq = cq.where('expert_id', 'in', ids)
  }
  const [domains, periods, conflicts] = await Promise.all([dq.execute(), uq.execute(), cq.execute()])
  const byExpert = <T extends { expert_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>()
    for (const row of rows) {
      const list = map.get(row.expert_id)
      if (list) list.push(row)
      else map.set(row.expert_id, [row])
    }
    return map
  }
  const domainsOf = byExpert(domains)
  const periodsOf = byExpert(periods)
  const conflictsOf = byExpert(conflicts)
  return experts.map((e): MatchExpert => {
    const own = conflictsOf.get(e.person_id) ?? []
    return {
      id: e.person_id,
      tier: e.tier,
      regionCode: e.region_code,
      regionPath: e.region_code ? (e.region_path ?? null) : null,
      workRegionPath: e.work_region_path ?? null,
      status: e.status,
      termStart: e.term_start,
      termEnd: e.term_end,
      unavailable: (periodsOf.get(e.person_id) ?? []).map((u) => ({ start: u.start_date, end: u.end_date })),
      maxConcurrentCases: e.max_concurrent_cases,
      activeCases: Number(e.active_count ?? 0),
      domains: (domainsOf.get(e.person_id) ?? []).map((d) => ({ disputeType: d.dispute_type_code, role: d.role, parentCategory: null })),
      professions: parseJsonList(e.professions),
      ratings: { count: Number(e.rating_count ?? 0), sum: Number(e.rating_sum ?? 0) },
      lastAssignedOn: e.last_assigned_on ?? null,
      employerOrgId: e.employer_org_id,
      employerName: e.employer,
      personIdHash: e.id_number_hash,
      conflicts: {
        orgIds: own.filter((c) => c.kind === 'organisation' && c.org_id).map((c) => c.org_id!),
        orgNames: own.filter((c) => c.kind === 'organisation').map((c) => c.name),
        personIdHashes: own.filter((c) => c.kind === 'person' && c.id_number_hash).map((c) => c.id_number_hash!),
      },
      organisationId: e.employer_org_id,
    }
  })
}

interface PoolCache {
  /** The day and the pool stamp the pool was built from. */
  key: string
  pool: ExpertPool
  /** The loads stamp whose loads the pool's experts carry. */
  loads: string
}
let poolCache: PoolCache | null = null

type MutableLoad = { activeCases: number; ratings: { count: number; sum: number }; lastAssignedOn: string | null }

/**
 * The expert pool, rebuilt only when the day or the pool stamp (pool-version.server.ts: a token
 * every expert change rewrites, plus a clock-free fingerprint of the expert tables) changed since
 * the last call; when only the loads stamp changed (invitations, releases, ratings on any server),
 * the loads are re-read and patched into the cached experts (the pool's index does not depend on
 * them). The stamps are read before the data, so a change committed in between is seen next time.
 */
export async function expertPool(db: Executor, today: string): Promise<ExpertPool> {
  const stamp = await readPoolStamp(db)
  const key = `${today}|${stamp.pool}`
  if (poolCache?.key !== key) {
    poolCache = { key, pool: new ExpertPool(await loadMatchExperts(db, today)), loads: stamp.loads }
    return poolCache.pool
  }
  const cache = poolCache
  if (stamp.loads !== cache.loads) {
    const rows = await db
      .selectFrom('expert_loads')
      .select(['expert_id', 'active_count', 'rating_count', 'rating_sum', 'last_assigned_on'])
      .execute()
    for (const row of rows) {
      const index = cache.pool.indexOf.get(row.expert_id)
      if (index === undefined) continue
      const expert = cache.pool.experts[index] as unknown as MutableLoad
      expert.activeCases = Number(row.active_count)
      expert.ratings = { count: Number(row.rating_count), sum: Number(row.rating_sum) }
      expert.lastAssignedOn = row.last_assigned_on
    }
    cache.loads = stamp.loads
  }
  return cache.pool
}

export function clearExpertPoolCache(): void {
  poolCache = null
}

// ---------------------------------------------------------------------------------------------
// Cases

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const row of rows) {
    const key = keyOf(row)
    const list = map.get(key)
    if (list) list.push(row)
    else map.set(key, [row])
  }
  return map
}

export async function loadMatchCases(db: Executor, caseIds: readonly string[]): Promise<MatchCase[]> {
  if (!caseIds.length) return []
  const [cases, parties, consultations, pins] = await Promise.all([
    db
      .selectFrom('cases as c')
      .innerJoin('regions as r', 'r.code', 'c.region_code')
      .select([
        'c.id',
        'c.dispute_type_code',
        'c.domains',
        'c.region_code',
        'r.path',
        'c.difficulty',
        'c.period_start',
        'c.period_end',
        'c.experts_needed',
        'c.requirements',
        'c.requires_outside_region',
      ])
      .where('c.id', 'in', caseIds)
      .orderBy('c.id')
      .execute(),
    db.selectFrom('case_parties').select(['case_id', 'kind', 'name', 'org_id', 'id_number_hash']).where('case_id', 'in', caseIds).execute(),
    db.selectFrom('case_consultations').select(['case_id', 'expert_id', 'status']).where('case_id', 'in', caseIds).execute(),
    db
      .selectFrom('case_decisions')
      .select(['case_id', 'subject'])
      .where('case_id', 'in', caseIds)
      .where('kind', '=', 'conflict_pin')
      .execute(),
  ])
  // Grouped once: a batch loads hundreds of cases, and filtering every list per case is quadratic.
  const partiesOf = groupBy(parties, (p) => p.case_id)
  const consultationsOf = groupBy(consultations, (x) => x.case_id)
  const pinsOf = groupBy(pins, (p) => p.case_id)
  return cases.map((c): MatchCase => {
    const own = partiesOf.get(c.id) ?? []
    const mine = consultationsOf.get(c.id) ?? []
    return {
      id: c.id,
      disputeType: c.dispute_type_code,
      parentCategory: null,
      domains: parseJsonList(c.domains),
      regionCode: c.region_code,
      regionPath: c.path,
      difficulty: c.difficulty,
      periodStart: c.period_start,
      periodEnd: c.period_end,
      expertsNeeded: c.experts_needed,
      requirements: JSON.parse(c.requirements) as CaseRequirement[],
      partyOrganisations: own.filter((p) => p.kind === 'organisation').map((p) => ({ id: p.org_id, name: p.name })),
      partyPersonIdHashes: own.filter((p) => p.kind === 'person' && p.id_number_hash).map((p) => p.id_number_hash!),
      declinedExpertIds: mine.filter((x) => x.status === 'declined').map((x) => x.expert_id),
      // Withdrawn invitations and conflicts staff pinned without inviting (case_decisions).
      pinnedConflictExpertIds: [
        ...new Set([
          ...mine.filter((x) => x.status === 'withdrawn').map((x) => x.expert_id),
          ...(pinsOf.get(c.id) ?? []).map((p) => p.subject),
        ]),
      ],
      requiresOutsideRegion: c.requires_outside_region === 1,
      lockedExpertIds: mine.filter((x) => ACTIVE_STATUSES.includes(x.status) || x.status === 'rated').map((x) => x.expert_id),
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Recommendations

/** Whether the case's latest stored recommendation was diversified. */
async function latestDiversify(db: Executor, caseId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_recommendations')
    .select(['excluded'])
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return !!row && !!(JSON.parse(row.excluded) as { diversify?: StoredDiversify | null }).diversify
}

export interface StoredRecommendation {
  id: string
  configVersion: number
  result: Recommendation
  /** The diversification asked for ("避免集中于同一单位"), null when not. */
  diversify: StoredDiversify | null
}

/** Stored in the recommendation's `excluded` JSON beside the exclusion summary. */
export interface StoredDiversify {
  maxPerOrganisation: number
}

/**
 * Runs the recommendation for one case on the cached pool and stores it with its score components.
 * `diversify`: at most config.recommend.maxPerOrganisation experts of one organisation in the top
 * list (the core's diversification, applied over the whole list); stored with the recommendation.
 * Left out (a re-run after a decline or withdrawal), the latest recommendation's choice is kept.
 */
export async function recommendForCase(
  db: Executor,
  caseId: string,
  today: string,
  userId: string | null,
  options: { diversify?: boolean } = {},
): Promise<StoredRecommendation | null> {
  const [kase] = await loadMatchCases(db, [caseId])
  if (!kase) return null
  const { version, config } = await activeMatchConfig(db)
  const pool = await expertPool(db, today)
  const wanted = options.diversify ?? (await latestDiversify(db, caseId))
  const diversify: StoredDiversify | null = wanted ? { maxPerOrganisation: config.recommend.maxPerOrganisation } : null
  const result = recommend(kase, pool, {
    config,
    asOf: today,
    ...(diversify ? { diversify: { maxPerOrganisation: diversify.maxPerOrganisation, within: config.recommend.limit } } : {}),
  })
  const id = newId()
  await db
    .insertInto('case_recommendations')
    .values({
      id,
      case_id: caseId,
      config_version: version,
      eligible_count: result.eligibleCount,
      items: JSON.stringify(result.candidates),
      excluded: JSON.stringify({ ...result.excluded, diversify }),
      created_by: userId,
      created_at: nowIso(),
    })
    .execute()
  return { id, configVersion: version, result, diversify }
}
