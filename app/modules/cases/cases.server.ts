/**
 * Difficult cases: intake (case number per organisation and year), lists and the record in the
 * user's scope, and the status lifecycle with its timestamps. Party ID numbers are sealed on the
 * way in and leave only masked.
 */
import { type KeysetCursor, cursorPages } from '#app/lib/keyset.ts'
import { keysetBeyond } from '#app/lib/keyset.server.ts'
import { sql } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { sealPersonalNumber } from '#app/lib/crypto.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { nowIso } from '#app/lib/time.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { parseJsonList } from '#app/modules/experts/model.ts'
import type { CaseRequirement } from '#app/modules/matching/types.ts'
import { recordCaseStatusChange } from '#app/modules/webhooks/outbox.server.ts'
import type { CaseStatus } from '#db/schema.ts'
import { inTransaction } from './consultations.server.ts'
import { STATUS_TIMESTAMP, canMove, dueDate, formatCaseNumber, orgAbbreviation } from './model.ts'
import type { CaseInput } from './schemas.ts'

export function requirementsOf(input: Pick<CaseInput, 'requiredProfession' | 'minTier'>): CaseRequirement[] {
  const list: CaseRequirement[] = []
  if (input.requiredProfession) list.push({ kind: 'profession', profession: input.requiredProfession, atLeast: 1 })
  if (input.minTier) list.push({ kind: 'minTier', tier: input.minTier, atLeast: 1 })
  return list
}

/** Creates the case with the next number of its organisation and year (retried on a race). */
export async function createCase(
  db: Executor,
  input: CaseInput,
  userId: string | null,
  now = nowIso(),
): Promise<{ id: string; caseNumber: string }> {
  const year = Number(now.slice(0, 4))
  const org = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['r.name', 'o.name as org_name'])
    .where('o.id', '=', input.orgId)
    .executeTakeFirstOrThrow()
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(db, async (trx) => {
        const last = await trx
          .selectFrom('cases')
          .select(sql<number>`max(case_seq)`.as('seq'))
          .where('org_id', '=', input.orgId)
          .where('case_year', '=', year)
          .executeTakeFirst()
        const seq = Number(last?.seq ?? 0) + 1
        const id = newId()
        const caseNumber = formatCaseNumber(
          year,
          `${orgAbbreviation(org.name, org.org_name)}${attempt >= 2 ? input.orgId.slice(-4) : ''}`,
          seq,
        )
        await trx
          .insertInto('cases')
          .values({
            id,
            case_number: caseNumber,
            org_id: input.orgId,
            case_year: year,
            case_seq: seq,
            title: input.title,
            summary: input.summary,
            dispute_type_code: input.disputeType,
            domains: JSON.stringify(input.domains.filter((d) => d && d !== input.disputeType)),
            region_code: input.regionCode,
            source: input.source,
            difficulty: input.difficulty,
            amount_fen: input.amountYuan === undefined ? null : Math.round(input.amountYuan * 100),
            party_count: input.partyCount,
            experts_needed: input.expertsNeeded,
            experts_assigned: 0,
            requirements: JSON.stringify(requirementsOf(input)),
            requires_outside_region: input.requiresOutsideRegion ? 1 : 0,
            consultation_mode: input.consultationMode,
            period_start: input.periodStart,
            period_end: input.periodEnd,
            deadline: input.deadline,
            status: 'registered',
            registered_at: now,
            accepted_at: null,
            mediation_started_at: null,
            concluded_at: null,
            closed_at: null,
            archived_at: null,
            outcome_note: null,
            version: 1,
            created_by: userId,
            created_at: now,
            updated_at: now,
          })
          .execute()
        let sort = 0
        for (const party of input.parties) {
          const sealed = party.kind === 'person' && party.idNumber ? sealPersonalNumber('id', party.idNumber) : null
          await trx
            .insertInto('case_parties')
            .values({
              id: newId(),
              case_id: id,
              kind: party.kind,
              name: party.name,
              org_id: null,
              id_number_enc: sealed?.enc ?? null,
              id_number_hash: sealed?.hash ?? null,
              id_number_masked: sealed?.masked ?? null,
              sort: sort++,
            })
            .execute()
        }
        return { id, caseNumber }
      })
    } catch (error) {
      if (attempt < 5 && isUniqueViolation(error, ['cases.', 'uq_cases_'])) continue
      throw error
    }
  }
}

export interface CaseListFilter {
  status?: CaseStatus | 'open' | null
  q?: string | null
}

/** The cases of a scope that pass the list's filters, on the cases table alone. */
function filteredCases(db: Executor, scope: ListScope, filter: CaseListFilter) {
  let q = db.selectFrom('cases as c').where(scopeCondition(scope, { region: 'c.region_code', org: 'c.org_id' }))
  if (filter.status === 'open') q = q.where('c.status', 'in', ['registered', 'accepted', 'mediating', 'consulting'])
  else if (filter.status) q = q.where('c.status', '=', filter.status)
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
    q = q.where((eb) => eb.or([eb('c.title', 'like', like), eb('c.case_number', 'like', like)]))
  }
  return q
}

function caseListQuery(db: Executor, scope: ListScope, filter: CaseListFilter) {
  return filteredCases(db, scope, filter)
    .innerJoin('organisations as o', 'o.id', 'c.org_id')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .innerJoin('dispute_types as d', 'd.code', 'c.dispute_type_code')
    .leftJoin('case_decisions as x', (j) => j.onRef('x.case_id', '=', 'c.id').on('x.kind', '=', 'time_extension'))
    .select([
      'x.days as extension_days',
      'c.id',
      'c.case_number',
      'c.title',
      'c.status',
      'c.difficulty',
      'c.dispute_type_code',
      'd.name_en as dispute_type_en',
      'r.name as region_name',
      'o.name as org_name',
      'c.experts_needed',
      'c.experts_assigned',
      'c.registered_at',
      'c.accepted_at',
      'c.deadline',
    ])
}

type CaseListRow = Awaited<ReturnType<ReturnType<typeof caseListQuery>['execute']>>[number]

const withDue = ({ extension_days, ...r }: CaseListRow) => ({ ...r, due: dueDate(r.registered_at, r.accepted_at, extension_days ?? 0) })

/** How many cases the list's filters match in the scope (the export's progress; pages read by pageCases). */
export async function countCases(db: Executor, scope: ListScope, filter: CaseListFilter): Promise<number> {
  const found = await filteredCases(db, scope, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(found.n)
}

/**
 * One page of the case list, newest first, by keyset on (registered_at, id) (lib/keyset.ts): the
 * hundredth page costs what the first does, on the ix_cases_registered_at index.
 */
export async function pageCases(
  db: Executor,
  scope: ListScope,
  filter: CaseListFilter,
  page: { pageSize: number; cursor: KeysetCursor | null; search: URLSearchParams },
) {
  const { pageSize, cursor } = page
  const backwards = cursor?.direction === 'before'
  const order = backwards ? 'asc' : 'desc'
  // The page's ids first, on the cases table and its (region_code, registered_at) index alone;
  // then the joined columns for those ids only. Joining every case of a district before sorting
  // cost ~20 ms per page (docs/decisions/031-load-test-findings.md).
  let ids = filteredCases(db, scope, filter).select('c.id')
  if (cursor) ids = ids.where(keysetBeyond('c.registered_at', 'c.id', cursor, order))
  const found = await ids
    .orderBy('c.registered_at', order)
    .orderBy('c.id', order)
    .limit(pageSize + 1)
    .execute()
  const more = found.length > pageSize
  const pageIds = found.slice(0, pageSize).map((r) => r.id)
  const rows = pageIds.length
    ? await caseListQuery(db, scope, filter).where('c.id', 'in', pageIds).orderBy('c.registered_at', order).orderBy('c.id', order).execute()
    : []
  if (backwards) rows.reverse()
  const cases = rows.map(withDue)
  const pages = cursorPages(
    page.search,
    cursor,
    cases.map((c) => ({ at: c.registered_at, id: c.id })),
    more,
  )
  return { cases, pages }
}

/** Where a case sits, for requireRecordAccess. */
export async function caseLocation(db: Executor, caseId: string) {
  return db
    .selectFrom('cases as c')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .select(['c.id', 'c.org_id', 'r.path as region_path'])
    .where('c.id', '=', caseId)
    .executeTakeFirst()
}

export async function getCase(db: Executor, caseId: string) {
  const found = await db
    .selectFrom('cases as c')
    .innerJoin('organisations as o', 'o.id', 'c.org_id')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .innerJoin('dispute_types as d', 'd.code', 'c.dispute_type_code')
    // The one time extension (unique per case, kind and subject) rides along: one query fewer per page.
    .leftJoin('case_decisions as x', (j) => j.onRef('x.case_id', '=', 'c.id').on('x.kind', '=', 'time_extension'))
    .selectAll('c')
    .select(['o.name as org_name', 'r.name as region_name', 'r.path as region_path', 'd.name_en as dispute_type_en'])
    .select(['x.id as extension_id', 'x.days as extension_days', 'x.reason as extension_reason', 'x.created_at as extension_at'])
    // The partner system that referred the case through the API (诉调/警调对接), if any.
    .leftJoin('api_referrals as ar', 'ar.case_id', 'c.id')
    .select(['ar.client_id as referral_client_id'])
    .where('c.id', '=', caseId)
    .executeTakeFirst()
  if (!found) return null
  const { extension_id, extension_days, extension_reason, extension_at, ...row } = found
  const extension = extension_id ? { days: extension_days, reason: extension_reason ?? '', created_at: extension_at ?? '' } : null
  const parties = await db
    .selectFrom('case_parties')
    .select(['id', 'kind', 'name', 'id_number_masked'])
    .where('case_id', '=', caseId)
    .orderBy('sort')
    .execute()
  return {
    ...row,
    domainList: parseJsonList(row.domains),
    requirementList: JSON.parse(row.requirements) as CaseRequirement[],
    parties,
    /** The court-entrusted extension of the time limit, if granted. */
    extension: extension ? { days: extension.days ?? 0, reason: extension.reason, at: extension.created_at } : null,
    due: dueDate(row.registered_at, row.accepted_at, extension?.days ?? 0),
  }
}

/** Moves a case along its lifecycle (optimistic version), setting the step's timestamp. */
export async function moveCase(
  db: Executor,
  caseId: string,
  to: CaseStatus,
  version: number,
  note: string | null,
): Promise<{ ok: true; from: CaseStatus } | { ok: false; message: string }> {
  const row = await db.selectFrom('cases').select(['status', 'version']).where('id', '=', caseId).executeTakeFirst()
  if (!row) return { ok: false, message: 'cases.status.invalid' }
  if (!canMove(row.status, to)) return { ok: false, message: 'cases.status.invalid' }
  const now = nowIso()
  const column = STATUS_TIMESTAMP[to]
  // The status change and the referring client's notification (outbox) commit together.
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('cases')
      .set({
        status: to,
        version: sql`version + 1`,
        updated_at: now,
        ...(column ? { [column]: now } : {}),
        ...(note && (to === 'succeeded' || to === 'failed') ? { outcome_note: note } : {}),
      })
      .where('id', '=', caseId)
      .where('version', '=', version)
      .where('status', '=', row.status)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) return { ok: false, message: 'form.staleVersion' } as const
    await recordCaseStatusChange(trx, { caseId, from: row.status, to, at: now })
    return { ok: true, from: row.status } as const
  })
}

/** Handling organisations the user may register cases for (committees in scope). */
export async function orgChoices(db: Executor, scope: ListScope) {
  return db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name', 'o.region_code'])
    .where('o.status', '=', 'active')
    .where(scopeCondition(scope, { region: 'o.region_code', org: 'o.id' }))
    .orderBy('o.name')
    .limit(500)
    .execute()
}
