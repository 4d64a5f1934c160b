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
import { assess, type ComplianceResult, type PlanRule, planFor, preServiceCutoff } from './compliance.ts'
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
 * One line per organisation in scope: how many mediators, how many behind. Judged entirely in SQL
 * and grouped by organisation, so the database returns one row per organisation rather than one
 * per mediator: each organisation's plan is resolved once (its own, else the nearest region's, as
 * planFor does), each mediator's hours come from the covering (year, status, person_id,
 * hours_tenths) index and pre-service from (kind, status, person_id), and the rules of assess()
 * are restated as SQL conditions (kept equal by compliance.db.test.ts against orgCompliance).
 */
export async function complianceSummary(db: Executor, scope: ListScope, year: number, today: string): Promise<OrgSummary[]> {
  const months = await db.selectFrom('training_plans').select('pre_service_months').distinct().where('year', '=', year).execute()
  // started_on below the cutoff of the plan's months (and no pre-service record) means overdue.
  const cutoff = months.length
    ? sql`case p.pre_service_months ${sql.join(
        months.map((m) => sql`when ${m.pre_service_months} then ${preServiceCutoff(today, m.pre_service_months)}`),
        sql` `,
      )} end`
    : sql`null`
  const within = scope.everything ? sql`1 = 1` : scopeCondition(scope, { region: 'o.region_code', org: 'm.org_id' })
  // The plan of each organisation in scope only: resolving it for every organisation of the
  // database cost a district or a committee as much as the whole city.
  const orgsWithin = scope.everything ? sql`1 = 1` : scopeCondition(scope, { region: 'o2.region_code', org: 'o2.id' })
  const rows = await sql<{
    org_id: string
    org_name: string
    mediators: number | string
    behind: number | string | null
    overdue: number | string | null
    has_plan: number | string | null
  }>`
    select a.org_id, o.name as org_name, a.mediators, a.behind, a.overdue, a.has_plan
    from (
      select t.org_id, count(*) as mediators, sum(t.behind) as behind, sum(t.overdue) as overdue, max(t.has_plan) as has_plan
      from (
        select m.org_id,
          case when p.id is null then 0 else 1 end as has_plan,
          case when p.id is not null and (
            coalesce((select sum(r.hours_tenths) from training_records r
                      where r.year = ${year} and r.status = 'approved' and r.person_id = m.person_id), 0)
              < case when o.kind = 'committee_sector' then p.sector_tenths
                     when m.employment = 'full_time' then p.full_time_tenths
                     else p.part_time_tenths end
            or (m.started_on is not null and m.started_on < ${cutoff} and not exists (
                  select 1 from training_records r2
                  where r2.kind = 'pre_service' and r2.status = 'approved' and r2.person_id = m.person_id))
          ) then 1 else 0 end as behind,
          case when p.id is not null and m.started_on is not null and m.started_on < ${cutoff} and not exists (
                  select 1 from training_records r3
                  where r3.kind = 'pre_service' and r3.status = 'approved' and r3.person_id = m.person_id)
               then 1 else 0 end as overdue
        from mediators m
        inner join organisations o on o.id = m.org_id
        inner join (
          select o2.id as org_id, coalesce(
            (select tp.id from training_plans tp where tp.year = ${year} and tp.org_id = o2.id),
            (select tp.id from training_plans tp inner join regions pr on pr.code = tp.region_code
              where tp.year = ${year} and tp.org_id is null and substr(orr.path, 1, length(pr.path)) = pr.path
              order by length(pr.path) desc limit 1)
          ) as plan_id
          from organisations o2 inner join regions orr on orr.code = o2.region_code
          where ${orgsWithin}
          -- Grouping keeps this a table of its own (SQLite would otherwise merge it into the join
          -- and resolve the plan once per mediator instead of once per organisation).
          group by o2.id, orr.path
        ) op on op.org_id = m.org_id
        left join training_plans p on p.id = op.plan_id
        where m.status = 'active' and ${within}
      ) t
      group by t.org_id
    ) a
    inner join organisations o on o.id = a.org_id
  `.execute(db)
  // Sorted here rather than in SQL: the same binary order on both databases.
  return rows.rows
    .map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      mediators: Number(r.mediators),
      behind: Number(r.behind ?? 0),
      preServiceOverdue: Number(r.overdue ?? 0),
      hasPlan: Number(r.has_plan ?? 0) === 1,
    }))
    .sort((a, b) => (a.orgName < b.orgName ? -1 : a.orgName > b.orgName ? 1 : a.orgId < b.orgId ? -1 : 1))
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

/** One plan with its version and what a scope check needs. */
export async function getPlan(db: Executor, id: string): Promise<(PlanRow & { version: number }) | null> {
  const row = await plansQuery(db).select('tp.version').where('tp.id', '=', id).executeTakeFirst()
  return row ? { ...toPlan(row), version: row.version } : null
}

/** Changes a plan's requirements if nobody saved since `version` was read; 'stale' otherwise. */
export async function updatePlan(
  db: Executor,
  id: string,
  input: Pick<PlanInput, 'fullTimeHours' | 'partTimeHours' | 'sectorHours' | 'preServiceMonths'>,
  version: number,
): Promise<'saved' | 'stale'> {
  const updated = await db
    .updateTable('training_plans')
    .set({
      full_time_tenths: toTenths(input.fullTimeHours),
      part_time_tenths: toTenths(input.partTimeHours),
      sector_tenths: toTenths(input.sectorHours),
      pre_service_months: input.preServiceMonths,
      version: version + 1,
      updated_at: nowIso(),
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1 ? 'saved' : 'stale'
}

/**
 * Deletes a plan (version-checked). Plans are requirements, not records of training: nothing
 * earned is lost, and compliance falls back to the plan of the region above, or to "no plan".
 */
export async function deletePlan(db: Executor, id: string, version: number): Promise<'deleted' | 'stale'> {
  const deleted = await db.deleteFrom('training_plans').where('id', '=', id).where('version', '=', version).executeTakeFirst()
  return Number(deleted.numDeletedRows) === 1 ? 'deleted' : 'stale'
}
