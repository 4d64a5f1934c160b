/**
 * Mediators' case submissions and their review (投稿与评审): draft → submitted → returned
 * (revise, submit again) or accepted (录用, published in the library and recorded for the
 * mediator). Every submit keeps a snapshot; every write bumps `version`, so a reviewer who loaded
 * an older version is told the author changed the case.
 */
import { type AuditActor, audit } from '#app/lib/audit.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { nowIso } from '#app/lib/time.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import type { LibrarySubmissionStatus, LibrarySubmissionTable } from '#db/schema.ts'
import { bumpIndexVersion } from './index.server.ts'
import { type LibraryCase, mdxPlainText, submissionMarkdown } from './model.ts'
import type { ReviewInput, SubmissionInput } from './schemas.ts'
import { CRITERIA, type Criterion } from './vocabulary.ts'

export interface ChangeContext {
  request: Request
  actor: AuditActor
}

export interface Author {
  userId: string
  personId: string
  orgId: string
  regionCode: string
}

/** The mediator's organisation and its region, or null for someone who is not a mediator. */
export async function authorOf(db: Executor, userId: string, personId: string | null): Promise<Author | null> {
  if (!personId) return null
  const row = await db
    .selectFrom('mediators as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['m.org_id', 'o.region_code'])
    .where('m.person_id', '=', personId)
    .executeTakeFirst()
  return row ? { userId, personId, orgId: row.org_id, regionCode: row.region_code } : null
}

type Row = LibrarySubmissionTable

export interface Submission {
  id: string
  authorUserId: string
  authorPersonId: string
  authorName: string
  orgName: string | null
  scopeRegionCode: string
  regionPath: string | null
  status: LibrarySubmissionStatus
  revision: number
  version: number
  submittedAt: string | null
  acceptedAt: string | null
  acceptedBy: string | null
  createdAt: string
  updatedAt: string
  input: Omit<SubmissionInput, 'intent' | 'version'>
}

const parseList = (json: string): string[] => {
  try {
    const value = JSON.parse(json)
    return Array.isArray(value) ? value.map(String) : []
  } catch {
    return []
  }
}

function inputOf(row: Row): Submission['input'] {
  return {
    title: row.title,
    disputeType: row.dispute_type,
    domains: parseList(row.domains),
    regionCode: row.region_code,
    year: row.year,
    source: row.source as SubmissionInput['source'],
    outcome: row.outcome as SubmissionInput['outcome'],
    amountRange: row.amount_range as SubmissionInput['amountRange'],
    techniques: parseList(row.techniques) as SubmissionInput['techniques'],
    legalBasis: parseList(row.legal_basis),
    tags: parseList(row.tags),
    summary: row.summary,
    facts: row.facts,
    process: row.process,
    result: row.result,
    commentary: row.commentary,
  }
}

function columnsOf(input: Submission['input']) {
  return {
    title: input.title,
    dispute_type: input.disputeType,
    domains: JSON.stringify(input.domains),
    region_code: input.regionCode,
    year: input.year,
    source: input.source,
    outcome: input.outcome,
    amount_range: input.amountRange,
    techniques: JSON.stringify(input.techniques),
    legal_basis: JSON.stringify(input.legalBasis),
    tags: JSON.stringify(input.tags),
    summary: input.summary,
    facts: input.facts,
    process: input.process,
    result: input.result,
    commentary: input.commentary,
  }
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('library_submissions as s')
    .innerJoin('people as p', 'p.id', 's.author_person_id')
    .leftJoin('organisations as o', 'o.id', 's.org_id')
    .leftJoin('regions as r', 'r.code', 's.scope_region_code')
    .selectAll('s')
    .select(['p.name as author_name', 'o.name as org_name', 'r.path as region_path'])
}

function toSubmission(row: Row & { author_name: string; org_name: string | null; region_path: string | null }): Submission {
  return {
    id: row.id,
    authorUserId: row.author_user_id,
    authorPersonId: row.author_person_id,
    authorName: row.author_name,
    orgName: row.org_name,
    scopeRegionCode: row.scope_region_code,
    regionPath: row.region_path,
    status: row.status,
    revision: row.revision,
    version: row.version,
    submittedAt: row.submitted_at,
    acceptedAt: row.accepted_at,
    acceptedBy: row.accepted_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    input: inputOf(row),
  }
}

export async function getSubmission(db: Executor, id: string): Promise<Submission | null> {
  const row = await baseQuery(db).where('s.id', '=', id).executeTakeFirst()
  return row ? toSubmission(row) : null
}

export async function mySubmissions(db: Executor, personId: string): Promise<Submission[]> {
  const rows = await baseQuery(db).where('s.author_person_id', '=', personId).orderBy('s.id', 'desc').limit(200).execute()
  return rows.map(toSubmission)
}

/** Submissions awaiting review that the reviewer's scope reaches, oldest first. */
export async function reviewQueue(db: Executor, scope: ListScope): Promise<Submission[]> {
  const rows = await baseQuery(db)
    .where('s.status', '=', 'submitted')
    .where(scopeCondition(scope, { region: 's.scope_region_code' }))
    .orderBy('s.submitted_at')
    .limit(200)
    .execute()
  return rows.map(toSubmission)
}

async function snapshot(db: Executor, id: string, revision: number, userId: string): Promise<void> {
  const row = await db.selectFrom('library_submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  await db
    .insertInto('library_submission_versions')
    .values({ id: newId(), submission_id: id, revision, snapshot: JSON.stringify(inputOf(row)), created_by: userId, created_at: nowIso() })
    .execute()
}

export async function createSubmission(db: Executor, ctx: ChangeContext, author: Author, input: SubmissionInput): Promise<string> {
  const id = newId()
  const now = nowIso()
  if (input.submissionKey) {
    // The same form posted twice: the first post's case, not a second one.
    const seen = await db
      .selectFrom('submission_keys')
      .select('result')
      .where('key', '=', `library:${input.submissionKey}`)
      .where('user_id', '=', author.userId)
      .executeTakeFirst()
    if (seen) return seen.result
    await db
      .insertInto('submission_keys')
      .values({ key: `library:${input.submissionKey}`, user_id: author.userId, result: id, created_at: now })
      .execute()
  }
  await db
    .insertInto('library_submissions')
    .values({
      id,
      author_user_id: author.userId,
      author_person_id: author.personId,
      org_id: author.orgId,
      scope_region_code: author.regionCode,
      ...columnsOf(input),
      status: 'draft',
      revision: 0,
      version: 1,
      submitted_at: null,
      accepted_at: null,
      accepted_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await audit(db, ctx.request, ctx.actor, { action: 'library.submission.create', recordType: 'library_submission', recordId: id })
  if (input.intent === 'submit') await submitSubmission(db, ctx, id, 1, author.userId)
  return id
}

/**
 * The same form posted twice at once: both posts passed the key look-up in createSubmission, and
 * the second insert of the key failed once the first committed (MariaDB names only the key's
 * value in the message, SQLite the table). Answers with the first post's case; any other error is
 * thrown on.
 */
export async function caseOfRepeatedPost(db: Executor, error: unknown, userId: string, submissionKey: string | undefined): Promise<string> {
  const key = `library:${submissionKey}`
  if (submissionKey && isUniqueViolation(error, ['submission_keys', key])) {
    const first = await db
      .selectFrom('submission_keys')
      .select('result')
      .where('key', '=', key)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (first) return first.result
  }
  throw error
}

/**
 * Saves the author's edit (draft, returned, or under review: the version bump then tells the
 * reviewer). 'stale' when someone saved in between; nothing is overwritten.
 */
export async function updateSubmission(
  db: Executor,
  ctx: ChangeContext,
  id: string,
  version: number,
  input: SubmissionInput,
  userId: string,
): Promise<'ok' | 'stale' | 'locked'> {
  const current = await db.selectFrom('library_submissions').select(['status']).where('id', '=', id).executeTakeFirst()
  if (!current || current.status === 'accepted') return 'locked'
  const result = await db
    .updateTable('library_submissions')
    .set((eb) => ({ ...columnsOf(input), updated_at: nowIso(), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '!=', 'accepted')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) return 'stale'
  await audit(db, ctx.request, ctx.actor, { action: 'library.submission.update', recordType: 'library_submission', recordId: id })
  if (input.intent === 'submit' && current.status !== 'submitted') return submitSubmission(db, ctx, id, version + 1, userId)
  return 'ok'
}

export async function submitSubmission(
  db: Executor,
  ctx: ChangeContext,
  id: string,
  version: number,
  userId: string,
): Promise<'ok' | 'stale'> {
  const result = await db
    .updateTable('library_submissions')
    .set((eb) => ({
      status: 'submitted' as const,
      revision: eb('revision', '+', 1),
      submitted_at: nowIso(),
      updated_at: nowIso(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', 'in', ['draft', 'returned'])
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) return 'stale'
  const { revision } = await db.selectFrom('library_submissions').select('revision').where('id', '=', id).executeTakeFirstOrThrow()
  await snapshot(db, id, revision, userId)
  await audit(db, ctx.request, ctx.actor, {
    action: 'library.submission.submit',
    recordType: 'library_submission',
    recordId: id,
    detail: { revision },
  })
  return 'ok'
}

export function reviewTotal(input: Pick<ReviewInput, Criterion>): number {
  return CRITERIA.reduce((sum, c) => sum + input[c], 0)
}

/**
 * Records a review. 'stale' when the author changed the case after the reviewer loaded it (the
 * reviewer must look again); 'closed' when it is no longer awaiting review.
 */
export async function reviewSubmission(
  db: Executor,
  ctx: ChangeContext,
  id: string,
  reviewer: { userId: string; name: string },
  input: ReviewInput,
): Promise<'ok' | 'stale' | 'closed'> {
  const current = await db
    .selectFrom('library_submissions')
    .select(['status', 'version', 'revision'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!current || current.status !== 'submitted') return 'closed'
  if (current.version !== input.version) return 'stale'
  const now = nowIso()
  const result = await db
    .updateTable('library_submissions')
    .set((eb) => ({
      status: input.intent === 'accept' ? ('accepted' as const) : ('returned' as const),
      accepted_at: input.intent === 'accept' ? now : null,
      accepted_by: input.intent === 'accept' ? reviewer.userId : null,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', input.version)
    .where('status', '=', 'submitted')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) return 'stale'
  const scores = Object.fromEntries(CRITERIA.map((c) => [c, input[c]]))
  await db
    .insertInto('library_reviews')
    .values({
      id: newId(),
      submission_id: id,
      revision: current.revision,
      reviewer_user_id: reviewer.userId,
      reviewer_name: reviewer.name,
      decision: input.intent,
      scores: JSON.stringify(scores),
      total: reviewTotal(input),
      comments: input.comments,
      created_at: now,
    })
    .execute()
  await audit(db, ctx.request, ctx.actor, {
    action: input.intent === 'accept' ? 'library.submission.accept' : 'library.submission.return',
    recordType: 'library_submission',
    recordId: id,
    detail: { revision: current.revision, total: reviewTotal(input) },
  })
  if (input.intent === 'accept') await bumpIndexVersion(db, reviewer.userId)
  return 'ok'
}

export interface ReviewRecord {
  id: string
  revision: number
  reviewerName: string
  decision: 'accept' | 'return'
  scores: Partial<Record<Criterion, number>>
  total: number
  comments: string
  createdAt: string
}

export async function reviewsOf(db: Executor, submissionId: string): Promise<ReviewRecord[]> {
  const rows = await db.selectFrom('library_reviews').selectAll().where('submission_id', '=', submissionId).orderBy('id').execute()
  return rows.map((r) => ({
    id: r.id,
    revision: r.revision,
    reviewerName: r.reviewer_name,
    decision: r.decision,
    scores: JSON.parse(r.scores) as Partial<Record<Criterion, number>>,
    total: r.total,
    comments: r.comments,
    createdAt: r.created_at,
  }))
}

export async function versionsOf(
  db: Executor,
  submissionId: string,
): Promise<{ revision: number; createdAt: string; input: Submission['input'] }[]> {
  const rows = await db
    .selectFrom('library_submission_versions')
    .select(['revision', 'created_at', 'snapshot'])
    .where('submission_id', '=', submissionId)
    .orderBy('revision')
    .execute()
  return rows.map((r) => ({ revision: r.revision, createdAt: r.created_at, input: JSON.parse(r.snapshot) as Submission['input'] }))
}

/** Accepted submissions as library cases. */
export async function acceptedCases(db: Executor): Promise<LibraryCase[]> {
  const rows = await db.selectFrom('library_submissions').selectAll().where('status', '=', 'accepted').orderBy('id').execute()
  return rows.map((row) => {
    const input = inputOf(row)
    return {
      key: row.id,
      kind: 'submitted' as const,
      caseId: row.id,
      title: input.title,
      disputeType: input.disputeType,
      domains: input.domains.length ? input.domains : [input.disputeType],
      region: input.regionCode,
      year: input.year,
      source: input.source,
      outcome: input.outcome,
      amountRange: input.amountRange,
      techniques: input.techniques,
      legalBasis: input.legalBasis,
      competencies: [],
      difficulty: null,
      commentator: null,
      tags: input.tags,
      relatedDrills: [],
      summary: input.summary,
      text: mdxPlainText(submissionMarkdown(input)),
      sortDate: row.accepted_at ?? String(input.year),
    }
  })
}

export interface LibraryEvidence {
  submissionId: string
  title: string
  acceptedAt: string
  reviewerName: string | null
  total: number | null
}

/** Accepted cases of a mediator, with date and reviewer: evidence for grading (评定) and reviews. */
export async function libraryEvidence(db: Executor, personId: string): Promise<LibraryEvidence[]> {
  const rows = await db
    .selectFrom('library_submissions as s')
    .leftJoin('library_reviews as r', (join) => join.onRef('r.submission_id', '=', 's.id').on('r.decision', '=', 'accept'))
    .select(['s.id', 's.title', 's.accepted_at', 'r.reviewer_name', 'r.total'])
    .where('s.author_person_id', '=', personId)
    .where('s.status', '=', 'accepted')
    .orderBy('s.accepted_at')
    .execute()
  return rows.map((r) => ({
    submissionId: r.id,
    title: r.title,
    acceptedAt: r.accepted_at ?? '',
    reviewerName: r.reviewer_name ?? null,
    total: r.total === null || r.total === undefined ? null : Number(r.total),
  }))
}
