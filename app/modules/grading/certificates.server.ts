/**
 * Grade certificates (等级证书): issued at finalisation (and for the lower grade after a
 * demotion), verifiable in public by number, printable by the holder, their organisation's
 * manager and the association; revoked with the reason when the grade is demoted or revoked.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import type { RecordScope } from '#app/modules/auth/policy.ts'
import { certificateStanding, GRADE_CERTIFICATE_PATTERN, gradeCertificateNumber } from './notice.ts'

export async function issueGradeCertificate(
  db: Executor,
  grade: { id: string; person_id: string; grade_name: string; valid_from: string; valid_until: string },
  associationName: string,
): Promise<string> {
  const year = Number(grade.valid_from.slice(0, 4))
  // 40 random bits make a clash unlikely; the unique constraint is the guarantee, this the retry.
  for (let attempt = 0; attempt < 5; attempt++) {
    const number = gradeCertificateNumber(year)
    const taken = await db.selectFrom('grade_certificates').select('id').where('number', '=', number).executeTakeFirst()
    if (taken) continue
    await db
      .insertInto('grade_certificates')
      .values({
        id: newId(),
        number,
        person_id: grade.person_id,
        mediator_grade_id: grade.id,
        grade_name: grade.grade_name,
        association_name: associationName,
        issued_on: grade.valid_from,
        valid_until: grade.valid_until,
        status: 'valid',
        revoked_at: null,
        revoked_reason: null,
        created_at: nowIso(),
      })
      .execute()
    return number
  }
  throw new Error('Could not draw a free certificate number')
}

/** Revokes the certificate of a grade (if it has a valid one) with the reason. */
export async function revokeCertificateOfGrade(db: Executor, mediatorGradeId: string, reason: string): Promise<string | null> {
  const row = await db
    .selectFrom('grade_certificates')
    .select('number')
    .where('mediator_grade_id', '=', mediatorGradeId)
    .where('status', '=', 'valid')
    .executeTakeFirst()
  if (!row) return null
  await db
    .updateTable('grade_certificates')
    .set({ status: 'revoked', revoked_at: nowIso(), revoked_reason: reason.slice(0, 500) })
    .where('number', '=', row.number)
    .where('status', '=', 'valid')
    .execute()
  return row.number
}

export interface GradeCertificateView {
  number: string
  personId: string
  holderName: string
  gradeName: string
  associationName: string
  issuedOn: string
  validUntil: string
  status: 'valid' | 'revoked'
  revokedReason: string | null
  /** Where the holder sits, for access checks (grading:view: self, org, region). */
  scope: RecordScope & { personId: string }
}

export async function getGradeCertificate(db: Executor, number: string): Promise<GradeCertificateView | null> {
  const normal = number.trim().toUpperCase()
  if (!GRADE_CERTIFICATE_PATTERN.test(normal)) return null
  const row = await db
    .selectFrom('grade_certificates as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('regions as rg', 'rg.code', 'p.region_code')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .select([
      'c.number',
      'c.person_id',
      'p.name',
      'c.grade_name',
      'c.association_name',
      'c.issued_on',
      'c.valid_until',
      'c.status',
      'c.revoked_reason',
      'rg.path',
      'm.org_id',
      'p.org_id as person_org_id',
    ])
    .where('c.number', '=', normal)
    .executeTakeFirst()
  if (!row) return null
  return {
    number: row.number,
    personId: row.person_id,
    holderName: row.name,
    gradeName: row.grade_name,
    associationName: row.association_name,
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    status: row.status,
    revokedReason: row.revoked_reason,
    scope: { personId: row.person_id, orgId: row.org_id ?? row.person_org_id, regionPath: row.path },
  }
}

/** What anyone may see without signing in: standing, grade, name, association, validity. Nothing else. */
export interface PublicGradeCertificate {
  number: string
  standing: 'valid' | 'revoked' | 'expired'
  holderName: string
  gradeName: string
  associationName: string
  issuedOn: string
  validUntil: string
}

export async function verifyGradeCertificate(db: Executor, number: string, today: string): Promise<PublicGradeCertificate | null> {
  const found = await getGradeCertificate(db, number)
  if (!found) return null
  return {
    number: found.number,
    standing: certificateStanding({ status: found.status, valid_until: found.validUntil }, today),
    holderName: found.holderName,
    gradeName: found.gradeName,
    associationName: found.associationName,
    issuedOn: found.issuedOn,
    validUntil: found.validUntil,
  }
}
