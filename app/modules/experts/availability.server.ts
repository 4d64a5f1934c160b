/**
 * What staff and the expert themself both maintain: unavailable periods, conflicts of interest
 * (回避) and the contact preference. `by` says who entered a row; the expert may withdraw only what
 * they entered, staff anything. Every change is audited.
 */
import { audit } from '#app/lib/audit.server.ts'
import { lookupHash } from '#app/lib/crypto.server.ts'
import type { DB } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { maskIdNumber } from '#app/lib/personal-numbers.ts'
import { nowIso } from '#app/lib/time.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { bumpExpertPoolVersion } from '#app/modules/cases/pool-version.server.ts'
import type { ExpertContactPreference } from '#db/schema.ts'
import { inTransaction } from './admission.server.ts'
import { type Outcome, STALE, done, fieldError, formError } from './outcome.ts'
import { addDays } from './rules.ts'

export type EnteredBy = 'staff' | 'expert'

export async function addUnavailability(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  by: EnteredBy,
  input: { startDate: string; endDate: string; reason?: string },
  today: string,
): Promise<Outcome<{ id: string }>> {
  if (input.endDate < today) return fieldError('endDate', 'experts.unavailability.past')
  const id = newId()
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('expert_unavailability')
      .values({
        id,
        expert_id: personId,
        start_date: input.startDate,
        end_date: input.endDate,
        reason: input.reason ?? null,
        entered_by: by,
        created_by: user.userId,
        created_at: nowIso(),
      })
      .execute()
    await bumpExpertPoolVersion(trx, user.userId)
    await audit(trx, request, actorOf(user), {
      action: 'expert.unavailability.add',
      recordType: 'expert',
      recordId: personId,
      detail: { periodId: id, start: input.startDate, end: input.endDate, by },
    })
  })
  return done({ id })
}

export async function removeUnavailability(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  by: EnteredBy,
  periodId: string,
): Promise<Outcome> {
  const period = await db
    .selectFrom('expert_unavailability')
    .select(['id', 'start_date', 'end_date', 'entered_by'])
    .where('id', '=', periodId)
    .where('expert_id', '=', personId)
    .executeTakeFirst()
  if (!period) return formError('experts.unavailability.gone')
  if (by === 'expert' && period.entered_by !== 'expert') return formError('experts.unavailability.enteredByStaff')
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('expert_unavailability').where('id', '=', periodId).execute()
    await bumpExpertPoolVersion(trx, user.userId)
    await audit(trx, request, actorOf(user), {
      action: 'expert.unavailability.remove',
      recordType: 'expert',
      recordId: personId,
      detail: { periodId, start: period.start_date, end: period.end_date, by },
    })
  })
  return done(null)
}

export async function addConflict(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  by: EnteredBy,
  input: { kind: 'organisation' | 'person'; name: string; idNumber?: string; note?: string; startDate?: string; endDate?: string },
): Promise<Outcome<{ id: string }>> {
  const id = newId()
  // Only the keyed hash (for matching a party) and the mask (for reading) are kept.
  const hash = input.idNumber ? lookupHash('id', input.idNumber) : null
  const masked = input.idNumber ? maskIdNumber(input.idNumber) : null
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('expert_conflicts')
      .values({
        id,
        expert_id: personId,
        kind: input.kind,
        name: input.name,
        org_id: null,
        id_number_hash: hash,
        id_number_masked: masked,
        note: input.note ?? null,
        start_date: input.startDate ?? null,
        end_date: input.endDate ?? null,
        declared_by: by,
        created_by: user.userId,
        created_at: nowIso(),
      })
      .execute()
    await bumpExpertPoolVersion(trx, user.userId)
    await audit(trx, request, actorOf(user), {
      action: 'expert.conflict.add',
      recordType: 'expert',
      recordId: personId,
      detail: { conflictId: id, kind: input.kind, name: input.name, idNumber: masked, by },
    })
  })
  return done({ id })
}

/**
 * Ends a conflict from today on: it stays in the history with yesterday as its last day. One that
 * never came into force is withdrawn altogether.
 */
export async function endConflict(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  by: EnteredBy,
  conflictId: string,
  today: string,
): Promise<Outcome> {
  const conflict = await db
    .selectFrom('expert_conflicts')
    .select(['id', 'start_date', 'end_date', 'declared_by', 'name'])
    .where('id', '=', conflictId)
    .where('expert_id', '=', personId)
    .executeTakeFirst()
  if (!conflict) return formError('experts.conflict.gone')
  if (by === 'expert' && conflict.declared_by !== 'expert') return formError('experts.conflict.declaredByStaff')
  const yesterday = addDays(today, -1)
  if (conflict.end_date && conflict.end_date <= yesterday) return formError('experts.conflict.alreadyEnded')
  const neverApplied = !!conflict.start_date && conflict.start_date > yesterday
  await inTransaction(db, async (trx) => {
    if (neverApplied) await trx.deleteFrom('expert_conflicts').where('id', '=', conflictId).execute()
    else await trx.updateTable('expert_conflicts').set({ end_date: yesterday }).where('id', '=', conflictId).execute()
    await bumpExpertPoolVersion(trx, user.userId)
    await audit(trx, request, actorOf(user), {
      action: 'expert.conflict.end',
      recordType: 'expert',
      recordId: personId,
      detail: { conflictId, name: conflict.name, withdrawn: neverApplied, by },
    })
  })
  return done(null)
}

export async function updateContactPreference(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  input: { contactPreference: ExpertContactPreference; contactNote?: string; version: number },
): Promise<Outcome> {
  const current = await db
    .selectFrom('experts')
    .select(['contact_preference', 'contact_note', 'version'])
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow()
  if (current.version !== input.version) return STALE
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('experts')
      .set((eb) => ({
        contact_preference: input.contactPreference,
        contact_note: input.contactNote ?? null,
        updated_at: nowIso(),
        version: eb('version', '+', 1),
      }))
      .where('person_id', '=', personId)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return STALE
    await audit(trx, request, actorOf(user), {
      action: 'expert.contact',
      recordType: 'expert',
      recordId: personId,
      detail: {
        before: { preference: current.contact_preference, note: current.contact_note },
        after: { preference: input.contactPreference, note: input.contactNote ?? null },
      },
    })
    return done(null)
  })
}
