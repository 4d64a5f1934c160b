/**
 * Finalising a round (resolved → finalised, called by the round transition inside its
 * transaction): every result still on the 公示 list becomes final. A grade this association rates
 * is awarded (grade history row, validity config.validityYears, the holder's previous current
 * grade superseded, a certificate with a unique number); a grade it only recommends upward is
 * marked recommended (no grade, no certificate: the next level awards it).
 */
import type { Selectable } from 'kysely'
import { audit } from '#app/lib/audit.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import type { GradingRoundTable } from '#db/schema.ts'
import { issueGradeCertificate } from './certificates.server.ts'
import { type GradingConfig, gradeOf } from './config.ts'
import { openObjectionCount } from './objections.server.ts'
import { addYears } from './notice.ts'

/**
 * The transition is audited with its request by the caller; the rows written here (one per grade
 * decision) carry no request of their own, so they are logged against this internal origin.
 */
const FINALISATION_REQUEST = () => new Request('http://localhost/internal/grading/finalise')

export class OpenObjectionsError extends Error {
  constructor(readonly count: number) {
    super(`Round has ${count} open objection(s)`)
  }
}

/** Awards the proposed applications of a round: grade history, certificates. Runs inside the caller's transaction. */
export async function finaliseRound(
  trx: Executor,
  round: Selectable<GradingRoundTable>,
  config: GradingConfig,
  actor: { userId: string },
  today: string,
): Promise<{ awarded: number; recommended: number; certificates: number }> {
  // The caller checks too; refusing here as well means no path finalises over an open objection.
  const open = await openObjectionCount(trx, round.id)
  if (open > 0) throw new OpenObjectionsError(open)
  const association = await trx
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', round.association_org_id)
    .executeTakeFirstOrThrow()
  const user = await trx.selectFrom('users').select('username').where('id', '=', actor.userId).executeTakeFirst()
  const auditActor = { userId: actor.userId, username: user?.username ?? null, roles: null, scope: round.association_org_id }
  const proposed = await trx
    .selectFrom('grading_applications')
    .select(['id', 'person_id', 'grade_code', 'version'])
    .where('round_id', '=', round.id)
    .where('status', '=', 'proposed')
    .orderBy('id')
    .execute()
  const now = nowIso()
  const validUntil = addYears(today, config.validityYears)
  const result = { awarded: 0, recommended: 0, certificates: 0 }
  for (const application of proposed) {
    const grade = gradeOf(config, application.grade_code)
    if (!grade) throw new Error(`Grade ${application.grade_code} is not in the round's rules`)
    const moved = await trx
      .updateTable('grading_applications')
      .set((eb) => ({
        status: grade.action === 'rate' ? 'awarded' : 'recommended',
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', application.id)
      .where('status', '=', 'proposed')
      .where('version', '=', application.version)
      .executeTakeFirst()
    if (Number(moved.numUpdatedRows) !== 1) throw new Error(`Application ${application.id} changed while finalising`)
    if (grade.action === 'recommend') {
      result.recommended++
      await audit(trx, FINALISATION_REQUEST(), auditActor, {
        action: 'grading.grade_recommended',
        recordType: 'grading_application',
        recordId: application.id,
        detail: { round: round.id, person: application.person_id, grade: grade.code },
      })
      continue
    }
    const superseded = await trx
      .selectFrom('mediator_grades')
      .select('id')
      .where('person_id', '=', application.person_id)
      .where('status', '=', 'current')
      .execute()
    if (superseded.length) {
      await trx
        .updateTable('mediator_grades')
        .set((eb) => ({ status: 'superseded', changed_by: actor.userId, changed_at: now, version: eb('version', '+', 1) }))
        .where(
          'id',
          'in',
          superseded.map((s) => s.id),
        )
        .execute()
    }
    const row = {
      id: newId(),
      person_id: application.person_id,
      association_org_id: round.association_org_id,
      grade_code: grade.code,
      grade_name: grade.name,
      grade_rank: grade.rank,
      status: 'current' as const,
      valid_from: today,
      valid_until: validUntil,
      source: 'round' as const,
      round_id: round.id,
      application_id: application.id,
      change_reason: null,
      notice_start_on: null,
      notice_end_on: null,
      changed_by: null,
      changed_at: null,
      version: 1,
      created_at: now,
    }
    await trx.insertInto('mediator_grades').values(row).execute()
    const number = await issueGradeCertificate(trx, row, association.name)
    result.awarded++
    result.certificates++
    await audit(trx, FINALISATION_REQUEST(), auditActor, {
      action: 'grading.grade_awarded',
      recordType: 'mediator_grade',
      recordId: row.id,
      detail: {
        round: round.id,
        application: application.id,
        person: application.person_id,
        grade: grade.code,
        validUntil,
        certificate: number,
        superseded: superseded.map((s) => s.id),
      },
    })
  }
  return result
}
