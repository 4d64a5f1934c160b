/**
 * Reads for the expert pages: one expert's whole record, reference data for forms, the renewal
 * list, the recommendation inbox, and the eligibility facts the matching issue consumes.
 * Personal numbers leave here masked only.
 */
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { inRegionSubtree } from '#app/lib/list-scope.server.ts'
import { ageOn } from '#app/lib/time.ts'
import type { ExpertStatus, ExpertTier, RegionLevel } from '#db/schema.ts'
import { type DomainRole, type RegionRef, codesOnPath, parseJsonList, tierFitsRegion } from './model.ts'
import { bodyScopeCondition } from './roster.server.ts'
import { addDays, type EligibilityFacts, eligibilityFacts } from './rules.ts'
import type { ExpertBodyScope, ExpertViewScope } from './scope.ts'

// ---------------------------------------------------------------------------------------------
// Reference data

export interface DisputeTypeOption {
  code: string
  nameZh: string
  nameEn: string
}

export async function disputeTypeOptions(db: Executor): Promise<DisputeTypeOption[]> {
  const rows = await db.selectFrom('dispute_types').select(['code', 'name_zh', 'name_en']).where('active', '=', 1).orderBy('sort').execute()
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en }))
}

export interface RegionChoice extends RegionRef {
  name: string
  path: string
}

/** Regions by code; `codes` null reads every region (administrators appoint anywhere). */
export async function regionChoices(db: Executor, codes: readonly string[] | null): Promise<RegionChoice[]> {
  if (codes && !codes.length) return []
  let query = db.selectFrom('regions').select(['code', 'name', 'level', 'path'])
  if (codes) query = query.where('code', 'in', codes)
  const rows = await query.orderBy('path').execute()
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level as RegionLevel, path: r.path }))
}

/** Regions that appoint experts of some tier (province, city, district): for filters and admission. */
export function appointingRegions(regions: readonly RegionChoice[]): RegionChoice[] {
  return regions.filter((r) => tierFitsRegion('provincial', r) || tierFitsRegion('municipal', r) || tierFitsRegion('district', r))
}

export interface OrgOption {
  id: string
  name: string
  regionCode: string
}

/** Justice bureaus and associations of the given regions: the bodies that appoint experts. */
export async function appointingOrgOptions(db: Executor, regionCodes: readonly string[] | null): Promise<OrgOption[]> {
  if (regionCodes && !regionCodes.length) return []
  let query = db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_code'])
    .where('kind', 'in', ['justice_bureau', 'association'])
    .where('status', '=', 'active')
  if (regionCodes) query = query.where('region_code', 'in', regionCodes)
  const rows = await query.orderBy('name').limit(500).execute()
  return rows.map((r) => ({ id: r.id, name: r.name, regionCode: r.region_code }))
}

// ---------------------------------------------------------------------------------------------
// One expert

export async function regionChain(db: Executor, regionCode: string): Promise<RegionRef[]> {
  const region = await db.selectFrom('regions').select('path').where('code', '=', regionCode).executeTakeFirst()
  if (!region) return []
  const codes = codesOnPath(region.path)
  const rows = await db.selectFrom('regions').select(['code', 'level']).where('code', 'in', codes).execute()
  const byCode = new Map(rows.map((r) => [r.code, r.level as RegionLevel]))
  return codes.filter((c) => byCode.has(c)).map((code) => ({ code, level: byCode.get(code)! }))
}

export async function getExpertDetail(db: Executor, personId: string, today: string) {
  const row = await db
    .selectFrom('experts as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('regions as r', 'r.code', 'e.region_code')
    .leftJoin('regions as pr', 'pr.code', 'p.region_code')
    .leftJoin('organisations as ao', 'ao.id', 'e.appointing_org_id')
    .leftJoin('organisations as eo', 'eo.id', 'e.employer_org_id')
    .select([
      'e.person_id',
      'e.name',
      'e.tier',
      'e.region_code',
      'r.name as region_name',
      'e.appointing_org_id',
      'ao.name as appointing_org_name',
      'e.employer',
      'e.employer_org_id',
      'eo.name as employer_org_name',
      'e.title',
      'e.professions',
      'e.languages',
      'e.bio',
      'e.photo_file',
      'e.term_start',
      'e.term_end',
      'e.status',
      'e.max_concurrent_cases',
      'e.contact_preference',
      'e.contact_note',
      'e.version',
      'e.created_at',
      'e.updated_at',
      'p.gender',
      'p.birth_date',
      'p.id_number_masked',
      'p.phone_masked',
      'p.region_code as person_region_code',
      'pr.name as person_region_name',
    ])
    .where('e.person_id', '=', personId)
    .executeTakeFirst()
  if (!row) return null

  const [domains, terms, statusChanges, unavailability, conflicts, recommendations] = await Promise.all([
    db
      .selectFrom('expert_domains as d')
      .innerJoin('dispute_types as t', 't.code', 'd.dispute_type_code')
      .select(['d.dispute_type_code as code', 'd.role', 't.name_zh', 't.name_en'])
      .where('d.expert_id', '=', personId)
      .orderBy('t.sort')
      .execute(),
    db
      .selectFrom('expert_terms as t')
      .leftJoin('users as u', 'u.id', 't.created_by')
      .select(['t.id', 't.kind', 't.start_date', 't.end_date', 't.note', 't.created_at', 'u.display_name as by_name'])
      .where('t.expert_id', '=', personId)
      .orderBy('t.start_date', 'desc')
      .execute(),
    db
      .selectFrom('expert_status_changes as s')
      .leftJoin('users as u', 'u.id', 's.changed_by')
      .select(['s.id', 's.from_status', 's.to_status', 's.reason', 's.changed_at', 'u.display_name as by_name'])
      .where('s.expert_id', '=', personId)
      .orderBy('s.changed_at', 'desc')
      .orderBy('s.id', 'desc')
      .execute(),
    db
      .selectFrom('expert_unavailability as a')
      .select(['a.id', 'a.start_date', 'a.end_date', 'a.reason', 'a.entered_by'])
      .where('a.expert_id', '=', personId)
      // Periods that ended more than a year ago are history nobody plans with.
      .where('a.end_date', '>=', addDays(today, -365))
      .orderBy('a.start_date', 'desc')
      .execute(),
    db
      .selectFrom('expert_conflicts as c')
      .select(['c.id', 'c.kind', 'c.name', 'c.id_number_masked', 'c.note', 'c.start_date', 'c.end_date', 'c.declared_by', 'c.created_at'])
      .where('c.expert_id', '=', personId)
      .orderBy('c.created_at', 'desc')
      .execute(),
    db
      .selectFrom('expert_recommendations as x')
      .leftJoin('regions as tr', 'tr.code', 'x.to_region_code')
      .leftJoin('users as rb', 'rb.id', 'x.recommended_by')
      .leftJoin('users as db', 'db.id', 'x.decided_by')
      .select([
        'x.id',
        'x.from_tier',
        'x.to_tier',
        'x.to_region_code',
        'tr.name as to_region_name',
        'x.reason',
        'x.status',
        'x.decision_reason',
        'x.recommended_at',
        'x.decided_at',
        'x.version',
        'rb.display_name as recommended_by_name',
        'db.display_name as decided_by_name',
      ])
      .where('x.expert_id', '=', personId)
      .orderBy('x.recommended_at', 'desc')
      .execute(),
  ])

  return {
    expert: {
      personId: row.person_id,
      name: row.name,
      tier: row.tier,
      regionCode: row.region_code,
      regionName: row.region_name ?? null,
      appointingOrgId: row.appointing_org_id,
      appointingOrgName: row.appointing_org_name ?? null,
      employer: row.employer,
      employerOrgId: row.employer_org_id,
      employerOrgName: row.employer_org_name ?? null,
      title: row.title,
      professions: parseJsonList(row.professions),
      languages: parseJsonList(row.languages),
      bio: row.bio,
      hasPhoto: !!row.photo_file,
      termStart: row.term_start,
      termEnd: row.term_end,
      status: row.status,
      maxConcurrentCases: row.max_concurrent_cases,
      contactPreference: row.contact_preference,
      contactNote: row.contact_note,
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      gender: row.gender,
      birthDate: row.birth_date,
      age: row.birth_date ? ageOn(row.birth_date, today) : null,
      idNumberMasked: row.id_number_masked,
      phoneMasked: row.phone_masked,
      personRegionCode: row.person_region_code,
      personRegionName: row.person_region_name ?? null,
    },
    domains: domains.map((d) => ({ code: d.code, role: d.role as DomainRole, nameZh: d.name_zh, nameEn: d.name_en })),
    terms,
    statusChanges,
    unavailability,
    conflicts,
    recommendations,
  }
}

export type ExpertDetail = NonNullable<Awaited<ReturnType<typeof getExpertDetail>>>

/** The expert record linked to a user's person, if any. */
export async function expertIdOfPerson(db: Executor, personId: string | null): Promise<string | null> {
  if (!personId) return null
  const row = await db.selectFrom('experts').select('person_id').where('person_id', '=', personId).executeTakeFirst()
  return row?.person_id ?? null
}

// ---------------------------------------------------------------------------------------------
// Renewals (即将到期) and the recommendation inbox

export interface RenewalRow {
  personId: string
  name: string
  tier: ExpertTier
  regionName: string | null
  employer: string
  status: ExpertStatus
  termEnd: string
  daysLeft: number
}

/** Active or suspended experts of the user's bodies whose term ends within the window or has ended. */
export async function listRenewals(db: Executor, body: ExpertBodyScope, today: string, windowDays: number): Promise<RenewalRow[]> {
  const rows = await db
    .selectFrom('experts as e')
    .leftJoin('regions as r', 'r.code', 'e.region_code')
    .select(['e.person_id', 'e.name', 'e.tier', 'r.name as region_name', 'e.employer', 'e.status', 'e.term_end'])
    .where('e.status', 'in', ['active', 'suspended'])
    .where('e.term_end', '<=', addDays(today, windowDays))
    .where(bodyScopeCondition(body))
    .orderBy('e.term_end')
    .orderBy('e.person_id')
    .limit(500)
    .execute()
  return rows.map((r) => ({
    personId: r.person_id,
    name: r.name,
    tier: r.tier,
    regionName: r.region_name ?? null,
    employer: r.employer,
    status: r.status,
    termEnd: r.term_end,
    daysLeft: Math.round((Date.parse(r.term_end) - Date.parse(today)) / 86_400_000),
  }))
}

export interface InboxRow {
  id: string
  expertId: string
  expertName: string
  fromTier: ExpertTier
  fromRegionName: string | null
  toTier: ExpertTier
  toRegionName: string | null
  reason: string
  recommendedAt: string
  recommendedByName: string | null
  version: number
}

/** Pending recommendations addressed to the user's bodies (the national pool: administrators). */
export async function listRecommendationInbox(db: Executor, deciders: ExpertBodyScope): Promise<InboxRow[]> {
  let query = db
    .selectFrom('expert_recommendations as x')
    .innerJoin('experts as e', 'e.person_id', 'x.expert_id')
    .leftJoin('regions as fr', 'fr.code', 'x.from_region_code')
    .leftJoin('regions as tr', 'tr.code', 'x.to_region_code')
    .leftJoin('users as u', 'u.id', 'x.recommended_by')
    .select([
      'x.id',
      'x.expert_id',
      'e.name',
      'x.from_tier',
      'fr.name as from_region_name',
      'x.to_tier',
      'tr.name as to_region_name',
      'x.reason',
      'x.recommended_at',
      'u.display_name',
      'x.version',
    ])
    .where('x.status', '=', 'pending')
  if (!deciders.everything) {
    if (!deciders.regionCodes.length) return []
    query = query.where('x.to_region_code', 'in', deciders.regionCodes)
  }
  const rows = await query.orderBy('x.recommended_at').limit(500).execute()
  return rows.map((r) => ({
    id: r.id,
    expertId: r.expert_id,
    expertName: r.name,
    fromTier: r.from_tier,
    fromRegionName: r.from_region_name ?? null,
    toTier: r.to_tier,
    toRegionName: r.to_region_name ?? null,
    reason: r.reason,
    recommendedAt: r.recommended_at,
    recommendedByName: r.display_name ?? null,
    version: r.version,
  }))
}

// ---------------------------------------------------------------------------------------------
// For matching (next issue)

/**
 * Eligibility facts of the given experts on `today`: availability (status, term, unavailable
 * periods, capacity) and conflicts of interest (declared ones in force, plus the employer).
 * `activeCases` comes from the matching module, which owns case assignments.
 */
export async function loadEligibilityFacts(
  db: Executor,
  personIds: readonly string[],
  today: string,
  activeCases: ReadonlyMap<string, number> = new Map(),
): Promise<EligibilityFacts[]> {
  if (!personIds.length) return []
  const ids = [...new Set(personIds)]
  const [experts, domains, periods, conflicts] = await Promise.all([
    db
      .selectFrom('experts')
      .select([
        'person_id',
        'tier',
        'region_code',
        'status',
        'term_start',
        'term_end',
        'max_concurrent_cases',
        'employer',
        'employer_org_id',
      ])
      .where('person_id', 'in', ids)
      .execute(),
    db.selectFrom('expert_domains').select(['expert_id', 'dispute_type_code', 'role']).where('expert_id', 'in', ids).execute(),
    db
      .selectFrom('expert_unavailability')
      .select(['expert_id', 'start_date', 'end_date'])
      .where('expert_id', 'in', ids)
      .where('end_date', '>=', today)
      .execute(),
    db
      .selectFrom('expert_conflicts')
      .select(['expert_id', 'kind', 'name', 'org_id', 'id_number_hash', 'start_date', 'end_date'])
      .where('expert_id', 'in', ids)
      .where(sql<boolean>`(end_date is null or end_date >= ${today})`)
      .execute(),
  ])
  const group = <T extends { expert_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>()
    for (const row of rows) map.set(row.expert_id, [...(map.get(row.expert_id) ?? []), row])
    return map
  }
  const domainsOf = group(domains)
  const periodsOf = group(periods)
  const conflictsOf = group(conflicts)
  return experts.map((e) =>
    eligibilityFacts(
      {
        ...e,
        domains: (domainsOf.get(e.person_id) ?? []).map((d) => ({ dispute_type_code: d.dispute_type_code, role: d.role })),
        unavailable: periodsOf.get(e.person_id) ?? [],
        conflicts: conflictsOf.get(e.person_id) ?? [],
        activeCases: activeCases.get(e.person_id) ?? 0,
      },
      today,
    ),
  )
}

/** Regions offered by the roster's region filter: the appointing regions the user's view reaches. */
export async function rosterRegionOptions(db: Executor, view: ExpertViewScope): Promise<RegionChoice[]> {
  if (view.everything) return appointingRegions(await regionChoices(db, null))
  if (!view.subtreePaths.length) return []
  const rows = await db
    .selectFrom('regions as r')
    .select(['r.code', 'r.name', 'r.level', 'r.path'])
    .where((eb) =>
      eb.or([
        ...view.subtreePaths.map((p) => inRegionSubtree('r.code', p)),
        ...(view.ancestorCodes.length ? [eb('r.code', 'in', view.ancestorCodes)] : []),
      ]),
    )
    .orderBy('r.path')
    .execute()
  return appointingRegions(rows.map((r) => ({ code: r.code, name: r.name, level: r.level as RegionLevel, path: r.path })))
}
