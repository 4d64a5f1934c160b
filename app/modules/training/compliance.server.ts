/**
 * Annual plans and the compliance report: required vs earned hours per mediator, aggregated in
 * SQL (correlated sums over the (person_id, year, status) index), judged by compliance.ts.
 */
import { sql } from 'kysely'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { nowIso } from '#app/lib/time.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { assess, type ComplianceResult, type PlanRule, planFor } from './compliance.ts'
import { toTenths } from './rules.ts'

export interface PlanRow extends PlanRule {
  regionCode: string
  regionName: string
  orgName: string | null
}

function plansQuery(db: Executor) {
  return db
    .selectFrom('training_plans as tp')
    .innerJoin('regions as r', 'r.code', 'tp.region_code')
    .leftJoin('organisations as o', 'o.id', 'tp.org_id')
    .select([
      'tp.id',
      'tp.year',
      'tp.region_code',
      'r.name as region_name',
      'r.path as region_path',
      'tp.org_id',
      'o.name as org_name',
      'tp.full_time_tenths',
      'tp.part_time_tenths',
      'tp.sector_tenths',
      'tp.pre_service_months',
    ])
}

type PlanDbRow = Awaited<ReturnType<ReturnType<typeof plansQuery>['execute']>>[number]

function toPlan(r: PlanDbRow): PlanRow {
  return {
    id: r.id,
    year: r.year,
    regionCode: r.region_code,
    regionName: r.region_name,
    regionPath: r.region_path,
    orgId: r.org_id,
    orgName: r.org_name ?? null,
    fullTimeTenths: r.full_time_tenths,
    partTimeTenths: r.part_time_tenths,
    sectorTenths: r.sector_tenths,
    preServiceMonths: r.pre_service_months,
  }
}

export async function listPlans(db: Executor, scope: ListScope): Promise<PlanRow[]> {
  const rows = await plansQuery(db)
    .where(scopeCondition(scope, { region: 'tp.region_code', org: 'tp.org_id' }))
    .orderBy('tp.year', 'desc')
    .orderBy('r.path')
    .limit(200)
    .execute()
  return rows.map(toPlan)
}

export interface PlanInput {
  year: number
  regionCode: string
  fullTimeHours: number
  partTimeHours: number
  sectorHours: number
  preServiceMonths: number
}

/** Creates the plan of a region (orgId null) or organisation for a year; false if one exists. */
export async function createPlan(db: Executor, input: PlanInput, orgId: string | null, userId: string): Promise<string | false> {
  const id = newId()
  const now = nowIso()
  try {
    await db
      .insertInto('training_plans')
      .values({
        id,
        year: input.year,
        scope_key: orgId ? `org:${orgId}` : `region:${input.regionCode}`,
        region_code: input.regionCode,
        org_id: orgId,
        full_time_tenths: toTenths(input.fullTimeHours),
        part_time_tenths: toTenths(input.partTimeHours),
        sector_tenths: toTenths(input.sectorHours),
        pre_service_months: input.preServiceMonths,
        version: 1,
        created_by: userId,
        created_at: now,
        updated_at: now,
      })
      .execute()
    return id
  } catch (error) {
    if (isUniqueViolation(error, ['training_plans.scope_key', 'uq_training_plans_scope_year'])) return false
    throw error
  }
}

/** Plans of a year that may apply to an organisation in this region path (its own, or a region above it). */
async function candidatePlans(db: Executor, year: number, orgId: string, regionPath: string): Promise<PlanRule[]> {
  const codes = regionPath.split('/').filter(Boolean)
  const rows = await plansQuery(db)
    .where('tp.year', '=', year)
    .where((eb) => eb.or([eb('tp.org_id', '=', orgId), eb.and([eb('tp.org_id', 'is', null), eb('tp.region_code', 'in', codes)])]))
    .execute()
  return rows.map(toPlan)
}

export interface MediatorCompliance extends ComplianceResult {
  personId: string
  name: string
  startedOn: string | null
}

export interface OrgCompliance {
  org: { id: string; name: string; kind: string }
  plan: PlanRule | null
  mediators: MediatorCompliance[]
}

/** Earned hours (approved, in the year) and pre-service status per active mediator, in one query. */
function mediatorHoursQuery(db: Executor, year: number) {
  return db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select((eb) => [
      'm.person_id',
      'p.name',
      'm.org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'p.region_code',
      'm.employment',
      'm.started_on',
      eb
        .selectFrom('training_records as r')
        .select(sql<number>`coalesce(sum(r.hours_tenths), 0)`.as('s'))
        .whereRef('r.person_id', '=', 'm.person_id')
        .where('r.year', '=', year)
        .where('r.status', '=', 'approved')
        .as('earned'),
      eb
        .selectFrom('training_records as r2')
        .select(sql<number>`1`.as('one'))
        .whereRef('r2.person_id', '=', 'm.person_id')
        .where('r2.kind', '=', 'pre_service')
        .where('r2.status', '=', 'approved')
        .limit(1)
        .as('pre_service'),
    ])
    .where('m.status', '=', 'active')
}

export async function orgCompliance(db: Executor, orgId: string, year: number, today: string): Promise<OrgCompliance | null> {
  const org = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['o.id', 'o.name', 'o.kind', 'r.path'])
    .where('o.id', '=', orgId)
    .executeTakeFirst()
  if (!org) return null
  const plan = planFor(await candidatePlans(db, year, org.id, org.path), year, { id: org.id, regionPath: org.path })
  const rows = await mediatorHoursQuery(db, year).where('m.org_id', '=', orgId).orderBy('p.name').orderBy('m.person_id').execute()
  const mediators = plan
    ? rows.map((r) => ({
        personId: r.person_id,
        name: r.name,
        startedOn: r.started_on,
        ...assess(
          plan,
          {
            employment: r.employment,
            orgKind: r.org_kind,
            startedOn: r.started_on,
            earnedTenths: Number(r.earned ?? 0),
            preServiceDone: r.pre_service !== null,
          },
          today,
        ),
      }))
    : []
  return { org: { id: org.id, name: org.name, kind: org.kind }, plan, mediators }
}

export interface OrgSummary {
  orgId: string
  orgName: string
  mediators: number
  behind: number
  preServiceOverdue: number
  hasPlan: boolean
}

/**
 * One line per organisation in scope: how many mediators, how many behind. Hours are summed in
 * SQL; plans are matched per organisation in memory (a handful of plans per year).
 */
export async function complianceSummary(db: Executor, scope: ListScope, year: number, today: string): Promise<OrgSummary[]> {
  const plans = (await plansQuery(db).where('tp.year', '=', year).execute()).map(toPlan)
  const rows = scope.everything ? await everyMediatorHours(db, year) : await scopedMediatorHours(db, scope, year)
  const byOrg = new Map<string, OrgSummary>()
  for (const r of rows) {
    const plan = planFor(plans, year, { id: r.org_id, regionPath: r.org_region_path })
    const line = byOrg.get(r.org_id) ?? {
      orgId: r.org_id,
      orgName: r.org_name,
      mediators: 0,
      behind: 0,
      preServiceOverdue: 0,
      hasPlan: !!plan,
    }
    line.mediators++
    if (plan) {
      const result = assess(
        plan,
        {
          employment: r.employment,
          orgKind: r.org_kind,
          startedOn: r.started_on,
          earnedTenths: Number(r.earned ?? 0),
          preServiceDone: r.pre_service !== null,
        },
        today,
      )
      if (result.behind) line.behind++
      if (result.preService === 'overdue') line.preServiceOverdue++
    }
    byOrg.set(r.org_id, line)
  }
  // Sorted here rather than in SQL: one line per organisation instead of a sort over every mediator.
  return [...byOrg.values()].sort((a, b) => (a.orgName < b.orgName ? -1 : a.orgName > b.orgName ? 1 : a.orgId < b.orgId ? -1 : 1))
}

type SummaryRow = {
  org_id: string
  org_name: string
  org_kind: string
  org_region_path: string
  employment: 'full_time' | 'part_time'
  started_on: string | null
  earned: number | string | null
  pre_service: number | string | null
}

/** A scope's mediators: correlated sums over the (person_id, year, status) index, cheap for a district. */
async function scopedMediatorHours(db: Executor, scope: ListScope, year: number): Promise<SummaryRow[]> {
  return mediatorHoursQuery(db, year)
    .innerJoin('regions as orr', 'orr.code', 'o.region_code')
    .select('orr.path as org_region_path')
    .where(scopeCondition(scope, { region: 'o.region_code', org: 'm.org_id' }))
    .execute()
}

/**
 * Every mediator (administrators, national view): one grouped pass over the year's records (a
 * covering index) and one over pre-service records, joined, instead of two lookups per mediator.
 */
async function everyMediatorHours(db: Executor, year: number): Promise<SummaryRow[]> {
  return db
    .selectFrom('mediators as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .innerJoin('regions as orr', 'orr.code', 'o.region_code')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('training_records')
          .select(['person_id', sql<number>`sum(hours_tenths)`.as('earned')])
          .where('year', '=', year)
          .where('status', '=', 'approved')
          .groupBy('person_id')
          .as('h'),
      (join) => join.onRef('h.person_id', '=', 'm.person_id'),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('training_records')
          .select(['person_id', sql<number>`1`.as('pre_service')])
          .where('kind', '=', 'pre_service')
          .where('status', '=', 'approved')
          .groupBy('person_id')
          .as('ps'),
      (join) => join.onRef('ps.person_id', '=', 'm.person_id'),
    )
    .select([
      'm.org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'orr.path as org_region_path',
      'm.employment',
      'm.started_on',
      'h.earned',
      'ps.pre_service',
    ])
    .where('m.status', '=', 'active')
    .orderBy('o.name')
    .execute()
}

/** An organisation's id and region path, for scope checks. */
export async function orgScope(db: Executor, orgId: string): Promise<{ id: string; regionPath: string } | null> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['o.id', 'r.path'])
    .where('o.id', '=', orgId)
    .executeTakeFirst()
  return row ? { id: row.id, regionPath: row.path } : null
}
