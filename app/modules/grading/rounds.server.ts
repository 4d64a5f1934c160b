/**
 * Grading rounds: creation from the association's latest rules, and status transitions. A
 * transition claims the round first (`where version = ?`, so of two admins acting at once exactly
 * one wins and the other is told, nothing half-done), then runs the step's work inside the same
 * transaction (reviewer assignment, ranking, finalisation by the other grading modules); a step
 * that refuses rolls everything back. Every transition is recorded in grading_round_events and audited.
 */
import type { Selectable } from 'kysely'
import { audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { type MessageKey, messageRef } from '#app/lib/i18n.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import type { RecordScope } from '#app/modules/auth/policy.ts'
import type { GradingRoundStatus, GradingRoundTable } from '#db/schema.ts'
import { assignReviewers, pendingReviewCount } from './assignment.server.ts'
import type { GradingConfig } from './config.ts'
import { configById, ensureConfig } from './configs.server.ts'
import { finaliseRound } from './finalise.server.ts'
import { openObjectionCount } from './objections.server.ts'
import { rankRound } from './results.server.ts'
import { canTransition, nextWorkingDay, noticeEndDate } from './rounds.ts'

export type RoundRow = Selectable<GradingRoundTable>

export interface RoundInfo extends RoundRow {
  associationName: string
  associationRegionPath: string
  gradeCodes: string[]
  quotaMap: Record<string, number>
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

export function roundScope(round: Pick<RoundInfo, 'association_org_id' | 'associationRegionPath'>): RecordScope {
  return { orgId: round.association_org_id, regionPath: round.associationRegionPath }
}

export async function getRound(db: Executor, roundId: string): Promise<RoundInfo | null> {
  const row = await db
    .selectFrom('grading_rounds as g')
    .innerJoin('organisations as o', 'o.id', 'g.association_org_id')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .selectAll('g')
    .select(['o.name as association_name', 'r.path as region_path'])
    .where('g.id', '=', roundId)
    .executeTakeFirst()
  if (!row) return null
  const { association_name, region_path, ...round } = row
  return {
    ...round,
    associationName: association_name,
    associationRegionPath: region_path,
    gradeCodes: parseJson<string[]>(round.grade_codes, []),
    quotaMap: parseJson<Record<string, number>>(round.quotas, {}),
  }
}

export async function roundConfig(db: Executor, round: Pick<RoundRow, 'config_id'>): Promise<{ config: GradingConfig; versionNo: number }> {
  const stored = await configById(db, round.config_id)
  if (!stored) throw new Error(`grading round config ${round.config_id} missing`)
  return { config: stored.config, versionNo: stored.versionNo }
}

/** `/110000/110108/` → [`/110000/`, `/110000/110108/`]: the region and every region above it. */
export function ancestorPaths(path: string): string[] {
  const codes = path.split('/').filter(Boolean)
  return codes.map((_, i) => `/${codes.slice(0, i + 1).join('/')}/`)
}

export interface RoundListItem {
  id: string
  title: string
  status: GradingRoundStatus
  associationName: string
  associationOrgId: string
  opensOn: string
  closesOn: string
  createdAt: string
}

/**
 * Rounds a user may see: those of associations they manage or whose region they view (`scope`
 * region paths / org ids), plus non-draft rounds of associations whose region covers one of
 * `applicantRegionPaths` (where the user, or a mediator they manage, could apply).
 */
export async function listRounds(
  db: Executor,
  filter: { everything: boolean; orgIds: string[]; regionPaths: string[]; applicantRegionPaths: string[] },
): Promise<RoundListItem[]> {
  if (!filter.everything && !filter.orgIds.length && !filter.regionPaths.length && !filter.applicantRegionPaths.length) return []
  let query = db
    .selectFrom('grading_rounds as g')
    .innerJoin('organisations as o', 'o.id', 'g.association_org_id')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select([
      'g.id',
      'g.title',
      'g.status',
      'o.name as association_name',
      'g.association_org_id',
      'g.applications_open_on',
      'g.applications_close_on',
      'g.created_at',
    ])
  if (!filter.everything) {
    query = query.where((eb) =>
      eb.or([
        ...(filter.orgIds.length ? [eb('g.association_org_id', 'in', filter.orgIds)] : []),
        ...filter.regionPaths.map((p) => eb('r.path', 'like', `${p}%`)),
        // An association reaches the applicant when the applicant's region lies inside the association's.
        ...(filter.applicantRegionPaths.length
          ? [eb.and([eb('g.status', '!=', 'draft'), eb('r.path', 'in', filter.applicantRegionPaths.flatMap(ancestorPaths))])]
          : []),
      ]),
    )
  }
  const rows = await query.orderBy('g.created_at', 'desc').limit(200).execute()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    associationName: r.association_name,
    associationOrgId: r.association_org_id,
    opensOn: r.applications_open_on,
    closesOn: r.applications_close_on,
    createdAt: r.created_at,
  }))
}

export interface RoundInput {
  associationOrgId: string
  title: string
  gradeCodes: string[]
  quotas: Record<string, number>
  opensOn: string
  closesOn: string
  committee: { name: string; affiliation: string; kind: string }[]
}

export type CreateOutcome = { ok: true; id: string } | { ok: false; field: 'gradeCodes' | 'associationOrgId'; error: MessageKey }

export async function createRound(db: DB, request: Request, user: AuthUser, input: RoundInput): Promise<CreateOutcome> {
  const association = await db
    .selectFrom('organisations')
    .select(['id', 'kind'])
    .where('id', '=', input.associationOrgId)
    .executeTakeFirst()
  if (association?.kind !== 'association') return { ok: false, field: 'associationOrgId', error: 'grading.round.notAssociation' }
  return db.transaction().execute(async (trx) => {
    const stored = await ensureConfig(trx, input.associationOrgId, user.userId)
    const offered = input.gradeCodes.filter((c) => stored.config.grades.some((g) => g.code === c))
    if (!offered.length || offered.length !== input.gradeCodes.length)
      return { ok: false, field: 'gradeCodes', error: 'grading.round.gradesRequired' }
    const id = newId()
    const now = nowIso()
    const quotas = Object.fromEntries(Object.entries(input.quotas).filter(([code, n]) => offered.includes(code) && n > 0))
    await trx
      .insertInto('grading_rounds')
      .values({
        id,
        association_org_id: input.associationOrgId,
        config_id: stored.id,
        title: input.title,
        status: 'draft',
        grade_codes: JSON.stringify(offered),
        quotas: JSON.stringify(quotas),
        applications_open_on: input.opensOn,
        applications_close_on: input.closesOn,
        notice_start_on: null,
        notice_end_on: null,
        committee: JSON.stringify(input.committee),
        created_by: user.userId,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await trx
      .insertInto('grading_round_events')
      .values({ id: newId(), round_id: id, from_status: null, to_status: 'draft', user_id: user.userId, note: null, created_at: now })
      .execute()
    await audit(trx, request, actorOf(user), {
      action: 'grading.round.create',
      recordType: 'grading_round',
      recordId: id,
      detail: { association: input.associationOrgId, configVersion: stored.versionNo, grades: offered },
    })
    return { ok: true as const, id }
  })
}

/** A step refused: carries a message reference for the page; thrown inside the transaction to roll it back. */
class Refusal extends Error {
  constructor(readonly ref: string) {
    super(ref)
  }
}

export interface TransitionInput {
  roundId: string
  to: GradingRoundStatus
  /** The round version the admin's page showed. */
  version: number
  note: string | null
  /** scoring → notice: the first day of the 公示, if the admin chose one; else the next working day. */
  noticeStartOn?: string | null
  today: string
}

export type TransitionOutcome = { ok: true } | { ok: false; error: string; stale?: boolean }

export async function transitionRound(db: DB, request: Request, user: AuthUser, input: TransitionInput): Promise<TransitionOutcome> {
  try {
    await db.transaction().execute(async (trx) => {
      const round = await trx.selectFrom('grading_rounds').selectAll().where('id', '=', input.roundId).executeTakeFirst()
      if (!round) throw new Refusal('grading.round.stale')
      if (Number(round.version) !== input.version) throw new StaleRound()
      if (!canTransition(round.status, input.to)) throw new Refusal('grading.round.notAllowed')
      const now = nowIso()
      const patch: { notice_start_on?: string; notice_end_on?: string } = {}
      const { config } = await roundConfig(trx, round)
      if (round.status === 'scoring' && input.to === 'notice') {
        const start = input.noticeStartOn || nextWorkingDay(input.today)
        patch.notice_start_on = start
        patch.notice_end_on = noticeEndDate(start, config.noticeWorkingDays)
      }
      // Claim the round: of two admins acting on the same version, one updates a row, the other none.
      const claimed = await trx
        .updateTable('grading_rounds')
        .set((eb) => ({ status: input.to, updated_at: now, version: eb('version', '+', 1), ...patch }))
        .where('id', '=', round.id)
        .where('version', '=', input.version)
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) throw new StaleRound()

      if (input.to !== 'cancelled') await runStep(trx, round, input, config, user)

      await trx
        .insertInto('grading_round_events')
        .values({
          id: newId(),
          round_id: round.id,
          from_status: round.status,
          to_status: input.to,
          user_id: user.userId,
          note: input.note,
          created_at: now,
        })
        .execute()
      await audit(trx, request, actorOf(user), {
        action: 'grading.round.transition',
        recordType: 'grading_round',
        recordId: round.id,
        detail: { from: round.status, to: input.to, ...patch, ...(input.note ? { note: input.note } : {}) },
      })
    })
    return { ok: true }
  } catch (error) {
    if (error instanceof StaleRound) return { ok: false, error: 'grading.round.stale', stale: true }
    if (error instanceof Refusal) {
      await audit(db, request, actorOf(user), {
        action: 'grading.round.transition',
        recordType: 'grading_round',
        recordId: input.roundId,
        result: 'denied',
        detail: { to: input.to, reason: error.ref },
      })
      return { ok: false, error: error.ref }
    }
    throw error
  }
}

class StaleRound extends Error {}

async function countApplications(trx: Executor, roundId: string, statuses: string[]): Promise<number> {
  const row = await trx
    .selectFrom('grading_applications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('round_id', '=', roundId)
    .where('status', 'in', statuses as never)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function runStep(trx: Executor, round: RoundRow, input: TransitionInput, config: GradingConfig, user: AuthUser): Promise<void> {
  const now = nowIso()
  switch (input.to) {
    case 'eligibility': {
      // Pre-review starts from the automatic verdicts (an earlier override stands).
      for (const verdict of ['eligible', 'ineligible'] as const) {
        await trx
          .updateTable('grading_applications')
          .set((eb) => ({ status: verdict, updated_at: now, version: eb('version', '+', 1) }))
          .where('round_id', '=', round.id)
          .where('status', '=', 'submitted')
          .where((eb) =>
            eb.or([
              eb('override_verdict', '=', verdict),
              eb.and([eb('override_verdict', 'is', null), eb('eligible_auto', '=', verdict === 'eligible' ? 1 : 0)]),
            ]),
          )
          .execute()
      }
      return
    }
    case 'scoring': {
      const waiting = await countApplications(trx, round.id, ['submitted'])
      if (waiting) throw new Refusal(messageRef('grading.round.pendingPreReview', { n: waiting }))
      const result = await assignReviewers(trx, round.id, now)
      if (result.unassigned.length) throw new Refusal(messageRef('grading.round.unassigned', { n: result.unassigned.length }))
      return
    }
    case 'notice': {
      const pending = await pendingReviewCount(trx, round.id)
      if (pending) throw new Refusal(messageRef('grading.round.pendingReviews', { n: pending }))
      await rankRound(trx, round.id, config, parseJson<Record<string, number>>(round.quotas, {}))
      return
    }
    case 'resolved': {
      if (!round.notice_end_on || input.today <= round.notice_end_on) {
        throw new Refusal(messageRef('grading.round.noticeNotOver', { date: round.notice_end_on ?? '—' }))
      }
      const open = await openObjectionCount(trx, round.id)
      if (open) throw new Refusal(messageRef('grading.round.openObjections', { n: open }))
      return
    }
    case 'finalised': {
      const open = await openObjectionCount(trx, round.id)
      if (open) throw new Refusal(messageRef('grading.round.openObjections', { n: open }))
      await finaliseRound(trx, round, config, { userId: user.userId }, input.today)
      return
    }
    default:
      return
  }
}

export interface RoundEvent {
  id: string
  from: GradingRoundStatus | null
  to: GradingRoundStatus
  by: string
  note: string | null
  at: string
}

export async function roundEvents(db: Executor, roundId: string): Promise<RoundEvent[]> {
  const rows = await db
    .selectFrom('grading_round_events as e')
    .leftJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.id', 'e.from_status', 'e.to_status', 'e.note', 'e.created_at', 'u.display_name'])
    .where('e.round_id', '=', roundId)
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute()
  return rows.map((r) => ({ id: r.id, from: r.from_status, to: r.to_status, by: r.display_name ?? '', note: r.note, at: r.created_at }))
}

/** Associations a user manages rounds for (for the new-round form). */
export async function managedAssociations(db: Executor, user: AuthUser): Promise<{ id: string; name: string }[]> {
  const everything = user.grants.some((g) => g.role === 'admin')
  const orgIds = user.grants.filter((g) => g.role === 'association_admin' && g.orgId).map((g) => g.orgId!)
  if (!everything && !orgIds.length) return []
  let q = db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', 'association').where('status', '=', 'active')
  if (!everything) q = q.where('id', 'in', orgIds)
  return q.orderBy('name').execute()
}
