/**
 * 公示 and 异议: the public list of a round in notice, objections filed by anyone (no sign-in,
 * throttled per client address, contact encrypted at rest, optional attachment typed by its bytes
 * and stored outside public/), and the association's investigation and decision. An upheld
 * objection changes the result it names, with the reason, in the same transaction.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { unstable_parseMultipartFormData as parseMultipartFormData } from '@remix-run/node'
import { ANONYMOUS, audit, type AuditActor } from '#app/lib/audit.server.ts'
import { decrypt, encrypt } from '#app/lib/crypto.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { isId, newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { upsert } from '#app/lib/upsert.server.ts'
import type { GradingApplicationStatus, GradingObjectionStatus } from '#db/schema.ts'
import {
  ATTACHMENT_TYPES,
  type AttachmentType,
  attachmentExtensionMatches,
  attachmentTypeOfMime,
  cleanFileName,
  detectAttachmentType,
  maskContact,
  normaliseContact,
  OBJECTION_THROTTLE,
  refillObjectionBucket,
  upheldOutcome,
} from './notice.ts'
import { gradeName, type LoadedRound } from './round-scope.server.ts'

/** Objections of a round still waiting for a decision (blocks notice → resolved and finalisation). */
export async function openObjectionCount(db: Executor, roundId: string): Promise<number> {
  const row = await db
    .selectFrom('grading_objections')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('round_id', '=', roundId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// --- The public list --------------------------------------------------------------------------

export interface NoticeEntry {
  applicationId: string
  name: string
  orgName: string
  gradeCode: string
  gradeName: string
  status: GradingApplicationStatus
}

/**
 * Who is on the public list: during notice (and until finalised) the proposed results; after
 * finalisation the awarded and recommended ones. Names, organisations and grades only: never ID
 * numbers, scores or ranks.
 */
export async function noticeEntries(db: Executor, loaded: LoadedRound): Promise<NoticeEntry[]> {
  const statuses: GradingApplicationStatus[] = loaded.round.status === 'finalised' ? ['awarded', 'recommended'] : ['proposed']
  const rows = await db
    .selectFrom('grading_applications as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('organisations as o', 'o.id', 'a.org_id')
    .select(['a.id', 'p.name', 'o.name as org_name', 'a.grade_code', 'a.status'])
    .where('a.round_id', '=', loaded.round.id)
    .where('a.status', 'in', statuses)
    .execute()
  const rankOf = (code: string) => loaded.config.grades.find((g) => g.code === code)?.rank ?? 99
  return rows
    .map((r) => ({
      applicationId: r.id,
      name: r.name,
      orgName: r.org_name,
      gradeCode: r.grade_code,
      gradeName: gradeName(loaded.config, r.grade_code),
      status: r.status,
    }))
    .sort(
      (a, b) =>
        rankOf(a.gradeCode) - rankOf(b.gradeCode) || a.orgName.localeCompare(b.orgName, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'),
    )
}

// --- Throttling -------------------------------------------------------------------------------

const throttleKey = (address: string) => `objection:${address}`

/**
 * Spends one token of the address's objection bucket (sign_in_throttle table, own key prefix);
 * false when the bucket is empty. Requests without an address (never from the real server) pass.
 */
export async function takeObjectionToken(db: Executor, address: string | null, now = Date.now()): Promise<boolean> {
  if (!address) return true
  const key = throttleKey(address.slice(0, 160))
  const row = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst()
  const tokens = row ? refillObjectionBucket(row.bucket_milli, row.updated_at, now) : OBJECTION_THROTTLE.bucketCapacity * 1000
  if (tokens < 1000) return false
  const at = new Date(now).toISOString()
  await upsert(db, 'sign_in_throttle', { key, failures: 0, locked_until: null, bucket_milli: tokens - 1000, updated_at: at }, ['key'], {
    bucket_milli: tokens - 1000,
    updated_at: at,
  })
  return true
}

// --- Attachments ------------------------------------------------------------------------------

/** Resolved at call time so tests can point it elsewhere. */
export function objectionDirectory(): string {
  return path.resolve(process.env.TIAOJIE_UPLOAD_DIR ?? 'data/uploads', 'grading-objections')
}

const STORED_KEY = /^grading-objections\/[0-9A-HJKMNP-TV-Z]{26}\.(pdf|jpg|png)$/

export interface ObjectionAttachment {
  bytes: Uint8Array
  type: AttachmentType
  name: string
}

export type ObjectionUpload = { form: FormData; attachment: ObjectionAttachment | null; error: 'tooLarge' | 'type' | null }

/** Text fields of the objection form are short; anything longer is not a browser filling our form. */
const MAX_TEXT_PART = 64 * 1024

/**
 * Reads the multipart objection form: the text fields, and the optional `attachment`, whose bytes
 * are kept only up to `maxBytes` while it streams (the rest is read and dropped, so the other
 * fields, and the user's input, survive a too-large file).
 */
export async function readObjectionForm(request: Request, maxBytes: number): Promise<ObjectionUpload> {
  const contentType = request.headers.get('Content-Type') ?? ''
  if (!contentType.startsWith('multipart/form-data')) return { form: await request.formData(), attachment: null, error: null }
  let tooLarge = false
  let file: { bytes: Uint8Array; name: string } | null = null
  const form = await parseMultipartFormData(request, async ({ name, filename, data }) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const limit = name === 'attachment' ? maxBytes : MAX_TEXT_PART
    for await (const chunk of data) {
      size += chunk.byteLength
      if (size <= limit) chunks.push(chunk)
    }
    if (size > limit) {
      if (name !== 'attachment') throw new Response('Payload Too Large', { status: 413 })
      tooLarge = true
      return undefined
    }
    const bytes = Buffer.concat(chunks)
    if (name === 'attachment') {
      if (bytes.length) file = { bytes: new Uint8Array(bytes), name: filename ?? '' }
      return undefined
    }
    return typeof filename === 'string' ? undefined : bytes.toString('utf8')
  })
  if (tooLarge) return { form, attachment: null, error: 'tooLarge' }
  const found = file as { bytes: Uint8Array; name: string } | null
  if (!found) return { form, attachment: null, error: null }
  const type = detectAttachmentType(found.bytes)
  if (!type || (found.name && !attachmentExtensionMatches(found.name, type))) return { form, attachment: null, error: 'type' }
  return { form, attachment: { bytes: found.bytes, type, name: cleanFileName(found.name || `attachment.${type}`) }, error: null }
}

async function storeAttachment(attachment: ObjectionAttachment): Promise<string> {
  const directory = objectionDirectory()
  await fs.mkdir(directory, { recursive: true })
  const key = `grading-objections/${newId()}.${attachment.type}`
  await fs.writeFile(path.join(directory, path.basename(key)), attachment.bytes, { mode: 0o600 })
  return key
}

async function removeAttachment(key: string): Promise<void> {
  if (STORED_KEY.test(key)) await fs.rm(path.join(objectionDirectory(), path.basename(key)), { force: true })
}

/** The stored file of an objection, if its bytes still say what the row claims. */
export async function readObjectionAttachment(objection: {
  attachment_key: string | null
  attachment_mime: string | null
  attachment_name: string | null
}): Promise<{ bytes: Uint8Array<ArrayBuffer>; mime: string; name: string } | null> {
  const { attachment_key: key, attachment_mime: mime } = objection
  const type = attachmentTypeOfMime(mime)
  if (!key || !STORED_KEY.test(key) || !type) return null
  try {
    const bytes = new Uint8Array(await fs.readFile(path.join(objectionDirectory(), path.basename(key))))
    if (detectAttachmentType(bytes) !== type) return null
    return { bytes, mime: ATTACHMENT_TYPES[type].mime, name: objection.attachment_name ?? `attachment.${type}` }
  } catch {
    return null
  }
}

// --- Filing -----------------------------------------------------------------------------------

export interface ObjectionInput {
  filerName: string
  contact: string
  applicationId?: string
  grounds: string
  submissionKey: string
}

/** Submission keys of anonymous forms have no user: this placeholder fills the column. */
const ANONYMOUS_USER = 'anonymous'

/**
 * Files an objection. The submission key makes a repeated post (double click, refresh) return the
 * first objection instead of a second one. 'application' when the named result is not on this
 * round's list.
 */
export async function fileObjection(
  db: DB,
  request: Request,
  loaded: LoadedRound,
  input: ObjectionInput,
  attachment: ObjectionAttachment | null,
): Promise<{ ok: true; id: string; repeated: boolean } | { ok: false; error: 'application' }> {
  const roundId = loaded.round.id
  const submissionKey = `objection:${input.submissionKey}`
  const seen = await db.selectFrom('submission_keys').select('result').where('key', '=', submissionKey).executeTakeFirst()
  if (seen) return { ok: true, id: seen.result, repeated: true }
  if (input.applicationId) {
    const application = await db
      .selectFrom('grading_applications')
      .select('id')
      .where('id', '=', input.applicationId)
      .where('round_id', '=', roundId)
      .where('status', 'in', ['proposed', 'not_awarded'])
      .executeTakeFirst()
    if (!application) return { ok: false, error: 'application' }
  }
  const key = attachment ? await storeAttachment(attachment) : null
  const id = newId()
  const contact = normaliseContact(input.contact)
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('submission_keys')
        .values({ key: submissionKey, user_id: ANONYMOUS_USER, result: id, created_at: nowIso() })
        .execute()
      await trx
        .insertInto('grading_objections')
        .values({
          id,
          round_id: roundId,
          application_id: input.applicationId ?? null,
          filer_name: input.filerName,
          filer_contact_enc: encrypt(contact),
          filer_contact_masked: maskContact(contact),
          grounds: input.grounds,
          attachment_key: key,
          attachment_name: attachment ? attachment.name : null,
          attachment_mime: attachment ? ATTACHMENT_TYPES[attachment.type].mime : null,
          status: 'open',
          investigation: null,
          response: null,
          decided_by: null,
          decided_at: null,
          version: 1,
          created_at: nowIso(),
        })
        .execute()
      await audit(trx, request, ANONYMOUS, {
        action: 'grading.objection_filed',
        recordType: 'grading_objection',
        recordId: id,
        detail: { round: roundId, application: input.applicationId ?? null, attachment: !!key, contact: maskContact(contact) },
      })
    })
  } catch (error) {
    if (key) await removeAttachment(key)
    // Two posts of the same form raced past the look-up: the first one's objection stands.
    // (MariaDB's message names only the duplicate value, SQLite's the table.)
    if (isUniqueViolation(error, ['submission_keys', submissionKey])) {
      const first = await db.selectFrom('submission_keys').select('result').where('key', '=', submissionKey).executeTakeFirst()
      if (first) return { ok: true, id: first.result, repeated: true }
    }
    throw error
  }
  return { ok: true, id, repeated: false }
}

// --- The association's side -------------------------------------------------------------------

export interface ObjectionRow {
  id: string
  applicationId: string | null
  applicantName: string | null
  gradeName: string | null
  applicationStatus: GradingApplicationStatus | null
  filerName: string
  contactMasked: string
  grounds: string
  hasAttachment: boolean
  attachmentName: string | null
  status: GradingObjectionStatus
  investigation: string | null
  response: string | null
  decidedAt: string | null
  version: number
  createdAt: string
}

function objectionQuery(db: Executor, roundId: string) {
  return db
    .selectFrom('grading_objections as j')
    .leftJoin('grading_applications as a', 'a.id', 'j.application_id')
    .leftJoin('people as p', 'p.id', 'a.person_id')
    .select([
      'j.id',
      'j.application_id',
      'p.name as applicant_name',
      'a.grade_code',
      'a.status as application_status',
      'j.filer_name',
      'j.filer_contact_masked',
      'j.grounds',
      'j.attachment_key',
      'j.attachment_name',
      'j.status',
      'j.investigation',
      'j.response',
      'j.decided_at',
      'j.version',
      'j.created_at',
    ])
    .where('j.round_id', '=', roundId)
}

type ObjectionQueryRow = Awaited<ReturnType<ReturnType<typeof objectionQuery>['executeTakeFirstOrThrow']>>

function toRow(loaded: LoadedRound, r: ObjectionQueryRow): ObjectionRow {
  return {
    id: r.id,
    applicationId: r.application_id,
    applicantName: r.applicant_name,
    gradeName: r.grade_code ? gradeName(loaded.config, r.grade_code) : null,
    applicationStatus: r.application_status,
    filerName: r.filer_name,
    contactMasked: r.filer_contact_masked,
    grounds: r.grounds,
    hasAttachment: !!r.attachment_key,
    attachmentName: r.attachment_name,
    status: r.status,
    investigation: r.investigation,
    response: r.response,
    decidedAt: r.decided_at,
    version: r.version,
    createdAt: r.created_at,
  }
}

/** Open objections first, then the decided ones, oldest first within each. */
export async function objectionsOfRound(db: Executor, loaded: LoadedRound): Promise<ObjectionRow[]> {
  const rows = await objectionQuery(db, loaded.round.id).orderBy('j.created_at').orderBy('j.id').execute()
  const order = (s: GradingObjectionStatus) => (s === 'open' ? 0 : 1)
  return rows.map((r) => toRow(loaded, r)).sort((a, b) => order(a.status) - order(b.status))
}

export async function getObjection(db: Executor, loaded: LoadedRound, objectionId: string): Promise<ObjectionRow | null> {
  if (!isId(objectionId)) return null
  const row = await objectionQuery(db, loaded.round.id).where('j.id', '=', objectionId).executeTakeFirst()
  return row ? toRow(loaded, row) : null
}

/** The full contact, for the association investigating (audited by the caller's reveal). */
export async function objectionContact(db: Executor, objectionId: string): Promise<string | null> {
  const row = await db.selectFrom('grading_objections').select('filer_contact_enc').where('id', '=', objectionId).executeTakeFirst()
  return row ? decrypt(row.filer_contact_enc) : null
}

export async function objectionFile(db: Executor, roundId: string, objectionId: string) {
  if (!isId(objectionId)) return null
  const row = await db
    .selectFrom('grading_objections')
    .select(['attachment_key', 'attachment_mime', 'attachment_name'])
    .where('id', '=', objectionId)
    .where('round_id', '=', roundId)
    .executeTakeFirst()
  return row ? readObjectionAttachment(row) : null
}

export interface DecisionInput {
  decision: 'upheld' | 'dismissed'
  investigation: string
  response: string
  outcomeReason?: string
  applicationId?: string
  version: number
}

type StatusChange = { applicationId: string; from: GradingApplicationStatus; to: GradingApplicationStatus }

export type DecisionResult =
  | { ok: true; changed: StatusChange | null }
  | { ok: false; error: 'closed' | 'stale' | 'reasonRequired' | 'application' }

/** Results of a round an objection can concern: those on the list and those left off it. */
export async function contestableApplications(db: Executor, loaded: LoadedRound) {
  const rows = await db
    .selectFrom('grading_applications as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'p.name', 'a.grade_code', 'a.status'])
    .where('a.round_id', '=', loaded.round.id)
    .where('a.status', 'in', ['proposed', 'not_awarded'])
    .orderBy('p.name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, gradeName: gradeName(loaded.config, r.grade_code), status: r.status }))
}

/**
 * Records the investigation and decision. Only while the round is in notice (afterwards the
 * results are settled). An upheld objection against a result changes it (proposed → not_awarded,
 * or a wrongly excluded not_awarded → proposed) with the written reason; an objection filed
 * against the round as a whole can be tied to the result it turned out to concern. Both rows are
 * guarded (version, expected status), so a concurrent decision or result change loses cleanly.
 */
export async function decideObjection(
  db: DB,
  request: Request,
  actor: AuditActor & { userId: string },
  loaded: LoadedRound,
  objection: ObjectionRow,
  input: DecisionInput,
): Promise<DecisionResult> {
  if (loaded.round.status !== 'notice' || objection.status !== 'open') return { ok: false, error: 'closed' }
  let concerned: { id: string; status: GradingApplicationStatus } | null =
    objection.applicationId && objection.applicationStatus ? { id: objection.applicationId, status: objection.applicationStatus } : null
  if (!objection.applicationId && input.applicationId) {
    const found = (await contestableApplications(db, loaded)).find((a) => a.id === input.applicationId)
    if (!found) return { ok: false, error: 'application' }
    concerned = { id: found.id, status: found.status }
  }
  const target = input.decision === 'upheld' && concerned ? upheldOutcome(concerned.status) : null
  if (target && !input.outcomeReason) return { ok: false, error: 'reasonRequired' }
  const now = nowIso()
  return db
    .transaction()
    .execute(async (trx): Promise<DecisionResult> => {
      const updated = await trx
        .updateTable('grading_objections')
        .set((eb) => ({
          status: input.decision,
          investigation: input.investigation,
          response: input.response,
          application_id: concerned?.id ?? null,
          decided_by: actor.userId,
          decided_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', objection.id)
        .where('status', '=', 'open')
        .where('version', '=', input.version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) !== 1) return { ok: false, error: 'stale' }
      let changed: StatusChange | null = null
      if (target && concerned) {
        const moved = await trx
          .updateTable('grading_applications')
          .set((eb) => ({ status: target, outcome_reason: input.outcomeReason ?? null, updated_at: now, version: eb('version', '+', 1) }))
          .where('id', '=', concerned.id)
          .where('status', '=', concerned.status)
          .executeTakeFirst()
        if (Number(moved.numUpdatedRows) !== 1) throw new StaleDecision()
        changed = { applicationId: concerned.id, from: concerned.status, to: target }
      }
      await audit(trx, request, actor, {
        action: 'grading.objection_decided',
        recordType: 'grading_objection',
        recordId: objection.id,
        detail: {
          round: loaded.round.id,
          decision: input.decision,
          application: concerned?.id ?? null,
          changed,
          reason: input.outcomeReason ?? null,
        },
      })
      return { ok: true, changed }
    })
    .catch((error: unknown) => {
      if (error instanceof StaleDecision) return { ok: false as const, error: 'stale' as const }
      throw error
    })
}

/** Thrown inside the transaction so the objection's update rolls back with it. */
class StaleDecision extends Error {}
