/**
 * The expert's own view: only consultations addressed to them, with the case facts they need and
 * party ID numbers masked (the sealed numbers are never read here).
 */
import type { Executor } from '#app/lib/db.server.ts'

export async function myConsultations(db: Executor, expertId: string) {
  return db
    .selectFrom('case_consultations as x')
    .innerJoin('cases as c', 'c.id', 'x.case_id')
    .select(['x.id', 'x.status', 'x.mode', 'x.deadline', 'x.invited_at', 'c.case_number', 'c.title', 'c.dispute_type_code', 'c.difficulty'])
    .where('x.expert_id', '=', expertId)
    .orderBy('x.invited_at', 'desc')
    .limit(200)
    .execute()
}

/** One consultation of this expert, or null (someone else's is as absent as a missing one). */
export async function myConsultation(db: Executor, expertId: string, consultationId: string) {
  const row = await db
    .selectFrom('case_consultations as x')
    .innerJoin('cases as c', 'c.id', 'x.case_id')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .innerJoin('organisations as o', 'o.id', 'c.org_id')
    .select([
      'x.id',
      'x.case_id',
      'x.status',
      'x.mode',
      'x.deadline',
      'x.invited_at',
      'x.decline_reason',
      'x.opinion_issues',
      'x.opinion_analysis',
      'x.opinion_resolution',
      'x.opinion_legal_basis',
      'x.hours_tenths',
      'x.rating',
      'x.rating_comment',
      'c.case_number',
      'c.title',
      'c.summary',
      'c.dispute_type_code',
      'c.difficulty',
      'c.amount_fen',
      'c.period_start',
      'c.period_end',
      'r.name as region_name',
      'o.name as org_name',
    ])
    .where('x.id', '=', consultationId)
    .where('x.expert_id', '=', expertId)
    .executeTakeFirst()
  if (!row) return null
  const parties = await db
    .selectFrom('case_parties')
    .select(['id', 'kind', 'name', 'id_number_masked'])
    .where('case_id', '=', row.case_id)
    .orderBy('sort')
    .execute()
  return { ...row, parties }
}
