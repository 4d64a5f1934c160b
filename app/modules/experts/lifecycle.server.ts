/**
 * An expert's career in the pool: status changes (always with a reason), term renewals (with the
 * age-limit warning) and recommendations upward (择优推荐) with the higher body's decision. Each
 * write is one transaction: the profile's version moves, the history row and the audit row land.
 */
import { audit } from '#app/lib/audit.server.ts'
import type { DB } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { bumpExpertPoolVersion } from '#app/modules/cases/pool-version.server.ts'
import type { ExpertStatus } from '#db/schema.ts'
import { inTransaction } from './admission.server.ts'
import { recommendationTarget } from './model.ts'
import { type Outcome, STALE, done, fieldError, formError } from './outcome.ts'
import { regionChain } from './queries.server.ts'
import { ageLimitWarning, canChangeStatus, renewalProblem } from './rules.ts'
import { mayDecideRecommendation } from './scope.ts'
import type { ExpertSettings } from './settings.server.ts'

export async function changeExpertStatus(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  input: { status: ExpertStatus; reason: string; version: number },
): Promise<Outcome> {
  const current = await db.selectFrom('experts').select(['status', 'version']).where('person_id', '=', personId).executeTakeFirstOrThrow()
  if (current.version !== input.version) return STALE
  if (!canChangeStatus(current.status, input.status)) return fieldError('status', 'experts.status.notAllowed')
  const now = nowIso()
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('experts')
      .set((eb) => ({ status: input.status, updated_at: now, version: eb('version', '+', 1) }))
      .where('person_id', '=', personId)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return STALE
    await trx
      .insertInto('expert_status_changes')
      .values({
        id: newId(),
        expert_id: personId,
        from_status: current.status,
        to_status: input.status,
        reason: input.reason,
        changed_by: user.userId,
        changed_at: now,
      })
      .execute()
    await bumpExpertPoolVersion(trx, user.userId)
    await audit(trx, request, actorOf(user), {
      action: 'expert.status',
      recordType: 'expert',
      recordId: personId,
      detail: { before: current.status, after: input.status, reason: input.reason },
    })
    return done(null)
  })
}

export async function renewExpertTerm(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  input: { termStart: string; termEnd: string; note?: string; confirmAge?: boolean; version: number },
  settings: ExpertSettings,
): Promise<Outcome> {
  const current = await db
    .selectFrom('experts as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select(['e.status', 'e.version', 'e.term_start', 'e.term_end', 'p.birth_date'])
    .where('e.person_id', '=', personId)
    .executeTakeFirstOrThrow()
  if (current.version !== input.version) return STALE
  const problem = renewalProblem(current.status, current, input.termStart, input.termEnd)
  if (problem === 'experts.renew.removed') return formError(problem)
  if (problem === 'experts.renew.overlaps') return fieldError('termStart', messageRef(problem, { end: current.term_end }))
  if (problem) return fieldError('termEnd', problem)
  if (!input.confirmAge) {
    const warning = ageLimitWarning(current.birth_date, input.termEnd, settings.ageLimit)
    if (warning) return { ok: false, ageWarning: warning, formErrors: [messageRef('experts.age.warning', warning)] }
  }
  const now = nowIso()
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('experts')
      .set((eb) => ({ term_start: input.termStart, term_end: input.termEnd, updated_at: now, version: eb('version', '+', 1) }))
      .where('person_id', '=', personId)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return STALE
    await trx
      .insertInto('expert_terms')
      .values({
        id: newId(),
        expert_id: personId,
        kind: 'renewed',
        start_date: input.termStart,
        end_date: input.termEnd,
        note: input.note ?? null,
        created_by: user.userId,
        created_at: now,
      })
      .execute()
    await bumpExpertPoolVersion(trx, user.userId)
    await audit(trx, request, actorOf(user), {
      action: 'expert.renew',
      recordType: 'expert',
      recordId: personId,
      detail: {
        before: [current.term_start, current.term_end],
        after: [input.termStart, input.termEnd],
        ageConfirmed: input.confirmAge === true,
      },
    })
    return done(null)
  })
}

export async function recommendExpert(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  reason: string,
): Promise<Outcome<{ id: string }>> {
  const expert = await db
    .selectFrom('experts')
    .select(['tier', 'region_code', 'status'])
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow()
  if (expert.status !== 'active') return formError('experts.recommend.notActive')
  const chain = expert.region_code ? await regionChain(db, expert.region_code) : []
  const target = recommendationTarget(expert.tier, chain)
  if (!target) return formError('experts.recommend.noHigherTier')
  const id = newId()
  const now = nowIso()
  try {
    await inTransaction(db, async (trx) => {
      await trx
        .insertInto('expert_recommendations')
        .values({
          id,
          expert_id: personId,
          from_tier: expert.tier,
          from_region_code: expert.region_code,
          to_tier: target.tier,
          to_region_code: target.regionCode,
          reason,
          status: 'pending',
          decision_reason: null,
          recommended_by: user.userId,
          recommended_at: now,
          decided_by: null,
          decided_at: null,
          pending_key: personId,
          version: 1,
        })
        .execute()
      await audit(trx, request, actorOf(user), {
        action: 'expert.recommend',
        recordType: 'expert',
        recordId: personId,
        detail: { recommendationId: id, from: [expert.tier, expert.region_code], to: [target.tier, target.regionCode], reason },
      })
    })
  } catch (error) {
    if (!isUniqueViolation(error, ['pending_key', 'uq_expert_recommendations_pending'])) throw error
    return formError('experts.recommend.alreadyPending')
  }
  return done({ id })
}

/**
 * The higher body accepts (the expert moves to its tier and region; the recommendation keeps
 * where they came from) or declines with a reason. Only the addressed body decides.
 */
export async function decideRecommendation(
  db: DB,
  request: Request,
  user: AuthUser,
  input: { intent: 'accept' | 'decline'; recommendationId: string; reason?: string; version: number },
): Promise<Outcome<{ expertId: string }> | 'notFound'> {
  const rec = await db
    .selectFrom('expert_recommendations')
    .select(['id', 'expert_id', 'status', 'to_tier', 'to_region_code', 'from_tier', 'from_region_code', 'version'])
    .where('id', '=', input.recommendationId)
    .executeTakeFirst()
  if (!rec || !mayDecideRecommendation(user, rec.to_region_code)) return 'notFound'
  if (rec.status !== 'pending') return formError('experts.recommend.alreadyDecided')
  if (rec.version !== input.version) return STALE
  const accepted = input.intent === 'accept'
  const now = nowIso()
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('expert_recommendations')
      .set((eb) => ({
        status: accepted ? 'accepted' : 'declined',
        decision_reason: input.reason ?? null,
        decided_by: user.userId,
        decided_at: now,
        pending_key: null,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', rec.id)
      .where('version', '=', input.version)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return STALE
    if (accepted) {
      // The appointing body changes; its own bureau or association is named later by its staff.
      await trx
        .updateTable('experts')
        .set((eb) => ({
          tier: rec.to_tier,
          region_code: rec.to_region_code,
          appointing_org_id: null,
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('person_id', '=', rec.expert_id)
        .execute()
    }
    await bumpExpertPoolVersion(trx, user.userId)
    await audit(trx, request, actorOf(user), {
      action: accepted ? 'expert.recommendation.accept' : 'expert.recommendation.decline',
      recordType: 'expert',
      recordId: rec.expert_id,
      detail: {
        recommendationId: rec.id,
        from: [rec.from_tier, rec.from_region_code],
        to: [rec.to_tier, rec.to_region_code],
        reason: input.reason ?? null,
      },
    })
    return done({ expertId: rec.expert_id })
  })
}
