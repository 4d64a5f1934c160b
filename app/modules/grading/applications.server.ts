/**
 * Grade applications: submission (by the mediator, or their org manager for them) with the
 * evidence snapshot and the automatic eligibility check frozen in the same transaction; the
 * association's pre-review decision with a written reason; withdrawal before scoring.
 *
 * One application per person and round is the table's unique key (uq_grading_applications_round_person),
 * so a double submit or two managers applying at once create one record; the loser gets a message.
 *
 * What an applicant may see: their application, evidence and eligibility, never a score, a rank,
 * an outcome reason or a reviewer before the round is finalised (`forApplicant`).
 */
import { audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { type AuthUser, actorOf, may } from '#app/modules/auth/authz.server.ts'
import type { GradingApplicationStatus } from '#db/schema.ts'
import type { GradingConfig } from './config.ts'
import { type EligibilityResult, checkEligibility, parseEligibility } from './eligibility.ts'
import { type EvidenceSnapshot, parseSnapshot } from './evidence.ts'
import { gatherEvidence } from './evidence.server.ts'
import { ancestorPaths, getRound, type RoundInfo, roundConfig, roundScope } from './rounds.server.ts'
import { windowState } from './rounds.ts'

export interface Candidate {
  personId: string
  name: string
  orgId: string
  orgName: string
  regionPath: string
}

/** Mediators a user may apply for: themself (a mediator), or the active mediators of the organisations they manage. */
export async function applicantCandidates(db: Executor, user: AuthUser): Promise<Candidate[]> {
  const orgIds = user.grants.filter((g) => g.role === 'org_manager' && g.orgId).map((g) => g.orgId!)
  const self = user.grants.some((g) => g.role === 'mediator') ? user.personId : null
  if (!orgIds.length && !self) return []
  const rows = await db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['m.person_id', 'p.name', 'm.org_id', 'o.name as org_name', 'r.path'])
    .where('m.status', '=', 'active')
    .where((eb) => eb.or([...(orgIds.length ? [eb('m.org_id', 'in', orgIds)] : []), ...(self ? [eb('m.person_id', '=', self)] : [])]))
    .orderBy('p.name')
    .limit(2000)
    .execute()
  return rows.map((r) => ({ personId: r.person_id, name: r.name, orgId: r.org_id, orgName: r.org_name, regionPath: r.path }))
}

export async function candidateFor(db: Executor, user: AuthUser, personId: string): Promise<Candidate | null> {
  const all = await applicantCandidates(db, user)
  const found = all.find((c) => c.personId === personId)
  // The policy decides, the list only narrows: the same check every other grading action makes.
  return found && may(user, 'grading:apply', { personId: found.personId, orgId: found.orgId }) ? found : null
}

/** The association's region covers the applicant's organisation. */
export function withinAssociation(round: Pick<RoundInfo, 'associationRegionPath'>, candidate: Pick<Candidate, 'regionPath'>): boolean {
  return ancestorPaths(candidate.regionPath).includes(round.associationRegionPath)
}

export interface ApplyInput {
  roundId: string
  personId: string
  gradeCode: string
  declarations: { noCriminalConversion: boolean; noMisconduct: boolean }
  today: string
}

export type ApplyOutcome = { ok: true; id: string } | { ok: false; field: 'personId' | 'gradeCode' | 'form'; error: string }

/** Why a round cannot take an application today, or null. */
export function applyRefusal(round: RoundInfo, today: string): string | null {
  if (round.status !== 'open') return 'grading.application.notOpen'
  if (windowState(round, today) !== 'within') {
    return messageRef('grading.application.outsideWindow', { from: round.applications_open_on, to: round.applications_close_on })
  }
  return null
}

async function nextBlindCode(db: Executor, roundId: string, year: string): Promise<string> {
  const row = await db
    .selectFrom('grading_applications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('round_id', '=', roundId)
    .executeTakeFirstOrThrow()
  return `G-${year}-${String(Number(row.n) + 1).padStart(4, '0')}`
}

export async function submitApplication(db: DB, request: Request, user: AuthUser, input: ApplyInput): Promise<ApplyOutcome> {
  const round = await getRound(db, input.roundId)
  if (!round) return { ok: false, field: 'form', error: 'grading.application.notOpen' }
  const refusal = applyRefusal(round, input.today)
  if (refusal) return { ok: false, field: 'form', error: refusal }
  if (!round.gradeCodes.includes(input.gradeCode)) return { ok: false, field: 'gradeCode', error: 'grading.application.gradeNotOffered' }
  const candidate = await candidateFor(db, user, input.personId)
  if (!candidate || !withinAssociation(round, candidate)) return { ok: false, field: 'personId', error: 'grading.application.notMediator' }
  const existing = await db
    .selectFrom('grading_applications')
    .select('id')
    .where('round_id', '=', round.id)
    .where('person_id', '=', candidate.personId)
    .executeTakeFirst()
  if (existing) return { ok: false, field: 'form', error: 'grading.application.duplicate' }
  const { config } = await roundConfig(db, round)

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const id = await db.transaction().execute(async (trx) => {
        const evidence = await gatherEvidence(trx, candidate.personId, config, input.today, { declarations: input.declarations })
        const eligibility = checkEligibility(evidence, input.gradeCode, config, input.today)
        const id = newId()
        const now = nowIso()
        await trx
          .insertInto('grading_applications')
          .values({
            id,
            round_id: round.id,
            person_id: candidate.personId,
            org_id: candidate.orgId,
            grade_code: input.gradeCode,
            status: 'submitted',
            blind_code: await nextBlindCode(trx, round.id, input.today.slice(0, 4)),
            applied_by: user.userId,
            evidence: JSON.stringify(evidence),
            eligibility: JSON.stringify(eligibility),
            eligible_auto: eligibility.eligible ? 1 : 0,
            override_verdict: null,
            override_reason: null,
            override_by: null,
            final_score: null,
            rank_in_grade: null,
            outcome_reason: null,
            submitted_at: now,
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute()
        if (evidence.attachments.length) {
          await trx
            .updateTable('grading_attachments')
            .set({ application_id: id })
            .where(
              'id',
              'in',
              evidence.attachments.map((a) => a.id),
            )
            .where('application_id', 'is', null)
            .execute()
        }
        await audit(trx, request, actorOf(user), {
          action: 'grading.application.submit',
          recordType: 'grading_application',
          recordId: id,
          detail: {
            round: round.id,
            grade: input.gradeCode,
            eligible: eligibility.eligible,
            onBehalf: user.personId !== candidate.personId,
          },
        })
        return id
      })
      return { ok: true, id }
    } catch (error) {
      if (isUniqueViolation(error, ['uq_grading_applications_round_person', 'grading_applications.person_id'])) {
        return { ok: false, field: 'form', error: 'grading.application.duplicate' }
      }
      // Two submissions drew the same blind code: draw again.
      if (isUniqueViolation(error, ['uq_grading_applications_round_blind_code', 'grading_applications.blind_code'])) continue
      throw error
    }
  }
  return { ok: false, field: 'form', error: 'grading.application.stale' }
}

/** The check the apply page shows before submitting, from the records as they are now. */
export async function previewEligibility(
  db: Executor,
  personId: string,
  gradeCode: string,
  config: GradingConfig,
  today: string,
): Promise<{ evidence: EvidenceSnapshot; eligibility: EligibilityResult }> {
  const evidence = await gatherEvidence(db, personId, config, today, { declarations: { noCriminalConversion: true, noMisconduct: true } })
  return { evidence, eligibility: checkEligibility(evidence, gradeCode, config, today) }
}

export interface ApplicationDetail {
  id: string
  roundId: string
  personId: string
  orgId: string
  personName: string
  orgName: string
  gradeCode: string
  status: GradingApplicationStatus
  blindCode: string
  evidence: EvidenceSnapshot | null
  eligibility: EligibilityResult | null
  eligibleAuto: boolean
  overrideVerdict: 'eligible' | 'ineligible' | null
  overrideReason: string | null
  finalScore: number | null
  rankInGrade: number | null
  outcomeReason: string | null
  submittedAt: string
  version: number
}

export async function getApplication(db: Executor, id: string): Promise<ApplicationDetail | null> {
  const r = await db
    .selectFrom('grading_applications as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('organisations as o', 'o.id', 'a.org_id')
    .selectAll('a')
    .select(['p.name as person_name', 'o.name as org_name'])
    .where('a.id', '=', id)
    .executeTakeFirst()
  if (!r) return null
  return {
    id: r.id,
    roundId: r.round_id,
    personId: r.person_id,
    orgId: r.org_id,
    personName: r.person_name,
    orgName: r.org_name,
    gradeCode: r.grade_code,
    status: r.status,
    blindCode: r.blind_code,
    evidence: parseSnapshot(r.evidence),
    eligibility: parseEligibility(r.eligibility),
    eligibleAuto: Number(r.eligible_auto) === 1,
    overrideVerdict: r.override_verdict,
    overrideReason: r.override_reason,
    finalScore: r.final_score === null ? null : Number(r.final_score),
    rankInGrade: r.rank_in_grade === null ? null : Number(r.rank_in_grade),
    outcomeReason: r.outcome_reason,
    submittedAt: r.submitted_at,
    version: Number(r.version),
  }
}

export type ApplicationAccess = 'manage' | 'view' | 'applicant'

/** How a user reaches an application: the association (manage), a viewer in scope, or the applicant side. */
export function applicationAccess(
  user: AuthUser,
  app: Pick<ApplicationDetail, 'personId' | 'orgId'>,
  round: RoundInfo,
): ApplicationAccess | null {
  if (may(user, 'grading:manage', roundScope(round))) return 'manage'
  if (may(user, 'grading:view', roundScope(round))) return 'view'
  if (may(user, 'grading:apply', { personId: app.personId, orgId: app.orgId })) return 'applicant'
  return null
}

/** Scores, ranks and outcome reasons stay hidden from the applicant side until the round is finalised. */
export function scoresVisible(access: ApplicationAccess, round: Pick<RoundInfo, 'status'>): boolean {
  return access !== 'applicant' || round.status === 'finalised'
}

export function forApplicant<T extends { finalScore: number | null; rankInGrade: number | null; outcomeReason: string | null }>(
  app: T,
  visible: boolean,
): T {
  return visible ? app : { ...app, finalScore: null, rankInGrade: null, outcomeReason: null }
}

export interface RoundApplicationRow {
  id: string
  blindCode: string
  personId: string
  orgId: string
  personName: string
  orgName: string
  gradeCode: string
  status: GradingApplicationStatus
  eligibleAuto: boolean
  overrideVerdict: 'eligible' | 'ineligible' | null
  finalScore: number | null
  rankInGrade: number | null
}

export async function roundApplications(db: Executor, roundId: string): Promise<RoundApplicationRow[]> {
  const rows = await db
    .selectFrom('grading_applications as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('organisations as o', 'o.id', 'a.org_id')
    .select([
      'a.id',
      'a.blind_code',
      'a.person_id',
      'a.org_id',
      'p.name',
      'o.name as org_name',
      'a.grade_code',
      'a.status',
      'a.eligible_auto',
      'a.override_verdict',
      'a.final_score',
      'a.rank_in_grade',
    ])
    .where('a.round_id', '=', roundId)
    .orderBy('a.grade_code')
    .orderBy('a.blind_code')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    blindCode: r.blind_code,
    personId: r.person_id,
    orgId: r.org_id,
    personName: r.name,
    orgName: r.org_name,
    gradeCode: r.grade_code,
    status: r.status,
    eligibleAuto: Number(r.eligible_auto) === 1,
    overrideVerdict: r.override_verdict,
    finalScore: r.final_score === null ? null : Number(r.final_score),
    rankInGrade: r.rank_in_grade === null ? null : Number(r.rank_in_grade),
  }))
}

export interface MyApplication {
  id: string
  roundId: string
  roundTitle: string
  roundStatus: string
  personName: string
  gradeCode: string
  status: GradingApplicationStatus
  submittedAt: string
}

/** Applications of the user (a mediator) and of the mediators of the organisations they manage. */
export async function myApplications(db: Executor, user: AuthUser): Promise<MyApplication[]> {
  const orgIds = user.grants.filter((g) => g.role === 'org_manager' && g.orgId).map((g) => g.orgId!)
  const self = user.grants.some((g) => g.role === 'mediator') ? user.personId : null
  if (!orgIds.length && !self) return []
  const rows = await db
    .selectFrom('grading_applications as a')
    .innerJoin('grading_rounds as g', 'g.id', 'a.round_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'a.round_id', 'g.title', 'g.status as round_status', 'p.name', 'a.grade_code', 'a.status', 'a.submitted_at'])
    .where((eb) => eb.or([...(orgIds.length ? [eb('a.org_id', 'in', orgIds)] : []), ...(self ? [eb('a.person_id', '=', self)] : [])]))
    .orderBy('a.submitted_at', 'desc')
    .limit(200)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    roundId: r.round_id,
    roundTitle: r.title,
    roundStatus: r.round_status,
    personName: r.name,
    gradeCode: r.grade_code,
    status: r.status,
    submittedAt: r.submitted_at,
  }))
}

export type ChangeOutcome = { ok: true } | { ok: false; error: string }

const PRE_REVIEW_ROUND: string[] = ['open', 'eligibility']
const PRE_REVIEW_APPLICATION: GradingApplicationStatus[] = ['submitted', 'eligible', 'ineligible']

/** The association's pre-review decision, with a written reason (audited). */
export async function overrideEligibility(
  db: DB,
  request: Request,
  user: AuthUser,
  input: { applicationId: string; verdict: 'eligible' | 'ineligible'; reason: string; version: number },
): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('grading_applications')
      .select(['id', 'round_id', 'status', 'version'])
      .where('id', '=', input.applicationId)
      .executeTakeFirst()
    const round = app ? await trx.selectFrom('grading_rounds').select('status').where('id', '=', app.round_id).executeTakeFirst() : null
    if (!app || !round || !PRE_REVIEW_ROUND.includes(round.status) || !PRE_REVIEW_APPLICATION.includes(app.status)) {
      return { ok: false as const, error: 'grading.application.overrideNotNow' }
    }
    const updated = await trx
      .updateTable('grading_applications')
      .set((eb) => ({
        override_verdict: input.verdict,
        override_reason: input.reason,
        override_by: user.userId,
        status: input.verdict,
        updated_at: nowIso(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', app.id)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false as const, error: 'grading.application.stale' }
    await audit(trx, request, actorOf(user), {
      action: 'grading.application.override',
      recordType: 'grading_application',
      recordId: app.id,
      detail: { from: app.status, verdict: input.verdict, reason: input.reason },
    })
    return { ok: true as const }
  })
}

/** Withdrawal by the applicant side, before scoring starts. */
export async function withdrawApplication(
  db: DB,
  request: Request,
  user: AuthUser,
  input: { applicationId: string; version: number },
): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    const app = await trx
      .selectFrom('grading_applications')
      .select(['id', 'round_id', 'status'])
      .where('id', '=', input.applicationId)
      .executeTakeFirst()
    const round = app ? await trx.selectFrom('grading_rounds').select('status').where('id', '=', app.round_id).executeTakeFirst() : null
    if (!app || !round || !PRE_REVIEW_ROUND.includes(round.status) || !PRE_REVIEW_APPLICATION.includes(app.status)) {
      return { ok: false as const, error: 'grading.application.withdrawNotNow' }
    }
    const updated = await trx
      .updateTable('grading_applications')
      .set((eb) => ({ status: 'withdrawn' as const, updated_at: nowIso(), version: eb('version', '+', 1) }))
      .where('id', '=', app.id)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false as const, error: 'grading.application.stale' }
    await audit(trx, request, actorOf(user), {
      action: 'grading.application.withdraw',
      recordType: 'grading_application',
      recordId: app.id,
      detail: { from: app.status },
    })
    return { ok: true as const }
  })
}
