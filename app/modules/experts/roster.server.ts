/**
 * The roster query: scope, filters, sort and keyset pagination, on both dialects. One query for
 * the page (limit n + 1 tells whether another page follows), one for the total, and two small
 * look-ups for the page's domains and who is away today.
 */
import { type Expression, type SqlBool, sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { containsText } from '#app/lib/like.server.ts'
import type { ExpertStatus, ExpertTier } from '#db/schema.ts'
import type { DomainRole } from './model.ts'
import { type RosterQuery, type RosterSort, encodeCursor } from './roster.ts'
import { addDays } from './rules.ts'
import type { ExpertBodyScope, ExpertViewScope } from './scope.ts'

const SORT_COLUMN: Record<RosterSort, 'e.name' | 'e.term_end' | 'e.updated_at'> = {
  name: 'e.name',
  term_end: 'e.term_end',
  updated_at: 'e.updated_at',
}

export interface RosterRow {
  personId: string
  name: string
  tier: ExpertTier
  regionCode: string | null
  regionName: string | null
  employer: string
  title: string | null
  status: ExpertStatus
  termStart: string
  termEnd: string
  domains: { code: string; role: DomainRole }[]
  awayToday: boolean
}

export interface RosterPage {
  rows: RosterRow[]
  total: number
  /** Cursors for the neighbouring pages; null at either end. */
  next: string | null
  previous: string | null
}

/** Region levels whose bodies appoint experts: no expert is appointed below a district. */
const APPOINTING_LEVELS = ['province', 'city', 'district'] as const

/**
 * The appointing regions inside some region subtrees, as codes. Scope and the region filter become
 * one `region_code in (…)` list, which both dialects answer from an index (a subquery per subtree,
 * OR-ed, made MariaDB scan the whole table to count).
 */
async function appointingCodesIn(db: Executor, paths: readonly string[]): Promise<string[]> {
  if (!paths.length) return []
  const rows = await db
    .selectFrom('regions')
    .select('code')
    .where('level', 'in', APPOINTING_LEVELS)
    .where((eb) => eb.or(paths.map((p) => eb('path', 'like', `${p}%`))))
    .execute()
  return rows.map((r) => r.code)
}

/** The experts a view scope reaches, as one condition on `e` (experts). */
export async function expertScopeCondition(db: Executor, scope: ExpertViewScope): Promise<Expression<SqlBool>> {
  if (scope.everything) return sql<SqlBool>`1 = 1`
  const codes = [...new Set([...(await appointingCodesIn(db, scope.subtreePaths)), ...scope.ancestorCodes])]
  const parts: Expression<SqlBool>[] = []
  if (codes.length) parts.push(sql<SqlBool>`e.region_code in (${sql.join(codes)})`)
  if (scope.national) parts.push(sql<SqlBool>`e.region_code is null`)
  if (scope.personIds.length) parts.push(sql<SqlBool>`e.person_id in (${sql.join(scope.personIds)})`)
  if (!parts.length) return sql<SqlBool>`1 = 0`
  return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`
}

/** The experts whose appointing body is one of the scope's (the ones the user may edit). */
export function bodyScopeCondition(scope: ExpertBodyScope): Expression<SqlBool> {
  if (scope.everything) return sql<SqlBool>`1 = 1`
  if (!scope.regionCodes.length) return sql<SqlBool>`1 = 0`
  return sql<SqlBool>`e.region_code in (${sql.join(scope.regionCodes)})`
}

export interface RosterInput {
  view: ExpertViewScope
  body: ExpertBodyScope
  query: RosterQuery
  today: string
  windowDays: number
}

async function filterConditions(db: Executor, input: RosterInput): Promise<Expression<SqlBool>[]> {
  const { query, today } = input
  const conditions: Expression<SqlBool>[] = [await expertScopeCondition(db, input.view)]
  if (query.mine) conditions.push(bodyScopeCondition(input.body))
  if (query.q) conditions.push(sql<SqlBool>`(${containsText('e.name', query.q)} or ${containsText('e.employer', query.q)})`)
  if (query.tier) conditions.push(sql<SqlBool>`e.tier = ${query.tier}`)
  if (query.status) conditions.push(sql<SqlBool>`e.status = ${query.status}`)
  if (query.region) {
    const region = await db.selectFrom('regions').select('path').where('code', '=', query.region).executeTakeFirst()
    const codes = region ? await appointingCodesIn(db, [region.path]) : []
    conditions.push(codes.length ? sql<SqlBool>`e.region_code in (${sql.join(codes)})` : sql<SqlBool>`1 = 0`)
  }
  if (query.domain) {
    conditions.push(
      sql<SqlBool>`e.person_id in (select d.expert_id from expert_domains d where d.dispute_type_code = ${query.domain} and d.role in ('primary', 'secondary'))`,
    )
  }
  if (query.specialty) {
    conditions.push(
      sql<SqlBool>`e.person_id in (select d.expert_id from expert_domains d where d.dispute_type_code = ${query.specialty} and d.role = 'specialty')`,
    )
  }
  if (query.term === 'expired') conditions.push(sql<SqlBool>`e.term_end < ${today}`)
  if (query.term === 'expiring') conditions.push(sql<SqlBool>`e.term_end >= ${today} and e.term_end <= ${addDays(today, input.windowDays)}`)
  if (query.term === 'current') conditions.push(sql<SqlBool>`e.term_start <= ${today} and e.term_end >= ${today}`)
  return conditions
}

/** `(col, id) > (value, id0)` written so both dialects seek through the (col, id) index. */
function keysetCondition(column: string, value: string, id: string, greater: boolean): Expression<SqlBool> {
  const col = sql.ref(column)
  return greater
    ? sql<SqlBool>`${col} >= ${value} and (${col} > ${value} or e.person_id > ${id})`
    : sql<SqlBool>`${col} <= ${value} and (${col} < ${value} or e.person_id < ${id})`
}

export async function listRoster(db: Executor, input: RosterInput): Promise<RosterPage> {
  const { query } = input
  const column = SORT_COLUMN[query.sort]
  const conditions = await filterConditions(db, input)
  const where = sql<SqlBool>`${sql.join(conditions, sql` and `)}`

  const backwards = query.cursor?.direction === 'before'
  // Reading backwards means reading the index the other way and flipping the page afterwards.
  const ascending = (query.dir === 'asc') !== backwards
  const seek = query.cursor ? keysetCondition(column, query.cursor.value, query.cursor.id, ascending) : sql<SqlBool>`1 = 1`
  const order = ascending ? 'asc' : 'desc'
  // A substring search cannot use an index, and walking the sort index to find matches visits
  // most of the pool when they are rare. Sorting the matches instead costs one scan, whatever
  // the term: the expression keeps the planner from ordering through the index (same order, as
  // both dialects compare binary).
  const orderKey = query.q ? sql<string>`concat(${sql.ref(column)}, '')` : sql<string>`${sql.ref(column)}`

  const [pageRows, totalRow] = await Promise.all([
    db
      .selectFrom('experts as e')
      .leftJoin('regions as r', 'r.code', 'e.region_code')
      .select([
        'e.person_id',
        'e.name',
        'e.tier',
        'e.region_code',
        'r.name as region_name',
        'e.employer',
        'e.title',
        'e.status',
        'e.term_start',
        'e.term_end',
        'e.updated_at',
      ])
      .where(where)
      .where(seek)
      .orderBy(orderKey, order)
      .orderBy('e.person_id', order)
      .limit(query.pageSize + 1)
      .execute(),
    db
      .selectFrom('experts as e')
      .select((eb) => eb.fn.countAll().as('n'))
      .where(where)
      .executeTakeFirst(),
  ])

  const more = pageRows.length > query.pageSize
  const page = pageRows.slice(0, query.pageSize)
  if (backwards) page.reverse()

  const ids = page.map((r) => r.person_id)
  const [domains, away] = ids.length
    ? await Promise.all([
        db.selectFrom('expert_domains').select(['expert_id', 'dispute_type_code', 'role']).where('expert_id', 'in', ids).execute(),
        db
          .selectFrom('expert_unavailability')
          .select('expert_id')
          .where('expert_id', 'in', ids)
          .where('start_date', '<=', input.today)
          .where('end_date', '>=', input.today)
          .execute(),
      ])
    : [[], []]
  const domainsOf = new Map<string, { code: string; role: DomainRole }[]>()
  for (const d of domains) {
    const list = domainsOf.get(d.expert_id) ?? []
    list.push({ code: d.dispute_type_code, role: d.role })
    domainsOf.set(d.expert_id, list)
  }
  const awaySet = new Set(away.map((a) => a.expert_id))

  const sortValue = (row: (typeof page)[number]) => row[query.sort]
  const first = page[0]
  const last = page.at(-1)
  const hasNext = backwards ? true : more
  const hasPrevious = backwards ? more : query.cursor !== null
  return {
    rows: page.map((r) => ({
      personId: r.person_id,
      name: r.name,
      tier: r.tier,
      regionCode: r.region_code,
      regionName: r.region_name ?? null,
      employer: r.employer,
      title: r.title,
      status: r.status,
      termStart: r.term_start,
      termEnd: r.term_end,
      domains: domainsOf.get(r.person_id) ?? [],
      awayToday: awaySet.has(r.person_id),
    })),
    total: Number(totalRow?.n ?? 0),
    next: hasNext && last ? encodeCursor(query.sort, query.dir, sortValue(last), last.person_id) : null,
    previous: hasPrevious && first ? encodeCursor(query.sort, query.dir, sortValue(first), first.person_id) : null,
  }
}
