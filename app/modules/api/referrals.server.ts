/**
 * Cases referred by partner systems (诉调/警调对接). A referral is created through the cases
 * module's own `createCase` (source court or police, validated by the same `caseSchema` as the
 * intake form), so it lands in the intake queue (status 登记) of the region it names. The
 * Idempotency-Key makes a retried POST return the first case instead of creating a second.
 */
import { createHash } from 'node:crypto'
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso, todayInChina } from '#app/lib/time.ts'
import { createCase } from '#app/modules/cases/cases.server.ts'
import { inTransaction } from '#app/modules/cases/consultations.server.ts'
import { dueDate } from '#app/modules/cases/model.ts'
import { type CaseInput, caseSchema } from '#app/modules/cases/schemas.ts'
import { regionPathOf } from '#app/modules/regions/regions.server.ts'
import type { CaseStatus } from '#db/schema.ts'
import type { ApiClientPrincipal } from './auth.server.ts'
import { decodeCursor, pageOf } from './cursor.ts'
import { REFERRAL_SOURCE } from './model.ts'
import { fieldErrors } from './problems.ts'
import { ApiProblem, invalid } from './respond.server.ts'
import type { ReferralInput, ReferralView, referralsQuery } from './schemas.ts'
import type { z } from 'zod'

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/

export function requestHashOf(input: ReferralInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex')
}

/** Which client referred a case, for the webhooks module; null for cases registered in Tiaojie. */
export async function referralOfCase(db: Executor, caseId: string) {
  const row = await db
    .selectFrom('api_referrals as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['r.client_id', 'r.external_ref', 'c.source'])
    .where('r.case_id', '=', caseId)
    .executeTakeFirst()
  return row ? { clientId: row.client_id, externalRef: row.external_ref, source: row.source } : null
}

/**
 * The intake organisation of a region: the justice office (司法所) or bureau (司法局) nearest to it,
 * walking up the region's path. Its staff see the case in their queue and take it from there.
 */
async function intakeOrganisation(db: Executor, regionPath: string): Promise<string | null> {
  const codes = regionPath.split('/').filter(Boolean)
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'region_code', 'kind'])
    .where('status', '=', 'active')
    .where('kind', 'in', ['justice_office', 'justice_bureau'])
    .where('region_code', 'in', codes)
    .orderBy('id')
    .execute()
  for (const code of [...codes].reverse()) {
    const found = rows.find((r) => r.region_code === code && r.kind === 'justice_office') ?? rows.find((r) => r.region_code === code)
    if (found) return found.id
  }
  return null
}

const CASE_FIELD_NAMES: Record<string, string> = { orgId: 'organisationId', periodStart: 'deadline', periodEnd: 'deadline' }

export type ReferralOutcome = { created: boolean; caseId: string }

export async function referCase(
  db: Executor,
  client: ApiClientPrincipal,
  input: ReferralInput,
  idempotencyKey: string,
): Promise<ReferralOutcome> {
  const source = REFERRAL_SOURCE[client.kind]
  if (!source) throw new ApiProblem(403, 'forbidden', 'Only court and police clients refer cases.')
  const requestHash = requestHashOf(input)
  const previous = await findByKey(db, client.id, idempotencyKey, requestHash)
  if (previous) return previous

  const regionPath = await regionPathOf(db, input.regionCode)
  if (!regionPath) throw invalid([{ field: 'regionCode', code: 'invalid_choice', message: 'Unknown region' }])
  if (!regionPath.startsWith(client.regionPath)) {
    throw new ApiProblem(403, 'forbidden', 'That region is outside this client’s region.')
  }
  const type = await db
    .selectFrom('dispute_types')
    .select('code')
    .where('code', '=', input.disputeType)
    .where('active', '=', 1)
    .executeTakeFirst()
  if (!type) throw invalid([{ field: 'disputeType', code: 'invalid_choice', message: 'Unknown dispute type' }])
  let orgId: string | null
  if (input.organisationId) {
    const org = await db
      .selectFrom('organisations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select(['o.id', 'r.path'])
      .where('o.id', '=', input.organisationId)
      .where('o.status', '=', 'active')
      .executeTakeFirst()
    // An organisation outside the client's region is answered like one that does not exist.
    if (!org || !org.path.startsWith(client.regionPath)) {
      throw invalid([{ field: 'organisationId', code: 'invalid_choice', message: 'No such organisation in this client’s region' }])
    }
    orgId = org.id
  } else {
    orgId = await intakeOrganisation(db, regionPath)
    if (!orgId) throw invalid([{ field: 'regionCode', code: 'invalid_choice', message: 'No intake organisation serves this region' }])
  }

  const today = todayInChina()
  const candidate = {
    title: input.title,
    summary: input.summary,
    disputeType: input.disputeType,
    domains: [],
    regionCode: input.regionCode,
    orgId,
    source,
    difficulty: input.difficulty,
    amountYuan: input.amountYuan,
    partyCount: input.partyCount ?? Math.max(2, input.parties.length),
    parties: input.parties,
    expertsNeeded: input.expertsNeeded,
    requiresOutsideRegion: false,
    consultationMode: input.consultationMode,
    periodStart: today,
    periodEnd: input.deadline,
    deadline: input.deadline,
  }
  // The intake form's own schema: ID number check digits, party counts, date order.
  const checked = caseSchema.safeParse(candidate)
  if (!checked.success) throw invalid(fieldErrors(checked.error.issues, (f) => CASE_FIELD_NAMES[f] ?? f))
  const caseInput: CaseInput = checked.data

  try {
    return await inTransaction(db, async (trx) => {
      const created = await createCase(trx, caseInput, null)
      await trx
        .insertInto('api_referrals')
        .values({
          id: newId(),
          client_id: client.id,
          case_id: created.id,
          external_ref: input.externalRef,
          idempotency_key: idempotencyKey,
          request_hash: requestHash,
          created_at: nowIso(),
        })
        .execute()
      return { created: true, caseId: created.id }
    })
  } catch (error) {
    // Two requests with one key raced: the loser's case rolled back; answer with the winner's.
    if (isUniqueViolation(error, ['api_referrals', 'uq_api_referrals_client_key'])) {
      const winner = await findByKey(db, client.id, idempotencyKey, requestHash)
      if (winner) return winner
    }
    throw error
  }
}

async function findByKey(db: Executor, clientId: string, key: string, requestHash: string): Promise<ReferralOutcome | null> {
  const row = await db
    .selectFrom('api_referrals')
    .select(['case_id', 'request_hash'])
    .where('client_id', '=', clientId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst()
  if (!row) return null
  if (row.request_hash !== requestHash) {
    throw new ApiProblem(409, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request.')
  }
  return { created: false, caseId: row.case_id }
}

function referralRows(db: Executor, clientId: string) {
  return db
    .selectFrom('api_referrals as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .innerJoin('organisations as o', 'o.id', 'c.org_id')
    .leftJoin('case_decisions as x', (j) => j.onRef('x.case_id', '=', 'c.id').on('x.kind', '=', 'time_extension'))
    .select([
      'f.id as referral_id',
      'f.external_ref',
      'f.created_at as referred_at',
      'c.id',
      'c.case_number',
      'c.source',
      'c.status',
      'c.outcome_note',
      'c.region_code',
      'r.name as region_name',
      'o.id as org_id',
      'o.name as org_name',
      'c.registered_at',
      'c.accepted_at',
      'c.concluded_at',
      'c.closed_at',
      'c.deadline',
      'c.updated_at',
      'x.days as extension_days',
    ])
    .where('f.client_id', '=', clientId)
}

type ReferralRow = Awaited<ReturnType<ReturnType<typeof referralRows>['execute']>>[number]

/**
 * A closed or archived case no longer says how mediation ended; the status change to 调解成功 or
 * 调解不成 is in the case's audit trail (append-only), so the outcome is read from there.
 */
async function concludedOutcomes(db: Executor, rows: ReferralRow[]): Promise<Map<string, 'succeeded' | 'failed'>> {
  const closed = rows.filter((r) => r.status === 'closed' || r.status === 'archived').map((r) => r.id)
  const outcomes = new Map<string, 'succeeded' | 'failed'>()
  if (!closed.length) return outcomes
  const events = await db
    .selectFrom('audit_log')
    .select(['record_id', 'detail', 'at'])
    .where('record_type', '=', 'case')
    .where('action', '=', 'case.status_changed')
    .where('record_id', 'in', closed)
    .orderBy('at')
    .execute()
  for (const event of events) {
    try {
      const to = (JSON.parse(event.detail ?? '{}') as { to?: string }).to
      if (event.record_id && (to === 'succeeded' || to === 'failed')) outcomes.set(event.record_id, to)
    } catch {
      // A malformed detail says nothing about the outcome.
    }
  }
  return outcomes
}

function outcomeOf(status: CaseStatus, concluded: 'succeeded' | 'failed' | undefined): 'succeeded' | 'failed' | null {
  if (status === 'succeeded' || status === 'failed') return status
  return concluded ?? null
}

function viewOf(row: ReferralRow, outcomes: Map<string, 'succeeded' | 'failed'>): ReferralView {
  const outcome = outcomeOf(row.status, outcomes.get(row.id))
  return {
    id: row.id,
    caseNumber: row.case_number,
    externalRef: row.external_ref,
    source: row.source === 'police' ? 'police' : 'court',
    status: row.status,
    outcome,
    outcomeNote: outcome ? row.outcome_note : null,
    region: { code: row.region_code, name: row.region_name },
    organisation: { id: row.org_id, name: row.org_name },
    referredAt: row.referred_at,
    acceptedAt: row.accepted_at,
    concludedAt: row.concluded_at,
    closedAt: row.closed_at,
    deadline: row.deadline,
    due: dueDate(row.registered_at, row.accepted_at, Number(row.extension_days ?? 0)),
    updatedAt: row.updated_at,
  }
}

/** The client's own referral; null (404) for any other case, referred by another client or not at all. */
export async function getReferral(db: Executor, client: ApiClientPrincipal, caseId: string): Promise<ReferralView | null> {
  const row = await referralRows(db, client.id).where('c.id', '=', caseId).executeTakeFirst()
  if (!row) return null
  return viewOf(row, await concludedOutcomes(db, [row]))
}

/** The client's referrals, newest first (keyset on the referral id). */
export async function listReferrals(db: Executor, client: ApiClientPrincipal, query: z.output<typeof referralsQuery>) {
  let q = referralRows(db, client.id)
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor)
    if (!position) throw invalid([{ field: 'cursor', code: 'invalid', message: 'Not a cursor from this API' }])
    q = q.where('f.id', '<', position.id)
  }
  if (query.status) q = q.where('c.status', '=', query.status)
  const rows = await q
    .orderBy('f.id', 'desc')
    .limit(query.limit + 1)
    .execute()
  const page = pageOf(rows, query.limit, (r) => ({ key: r.referral_id, id: r.referral_id }))
  const outcomes = await concludedOutcomes(db, page.data)
  return { data: page.data.map((r) => viewOf(r, outcomes)), nextCursor: page.nextCursor }
}
