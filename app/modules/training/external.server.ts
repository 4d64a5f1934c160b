/**
 * External training records (外部培训): a mediator claims training taken elsewhere with a proof
 * file; the record is `pending` (counting nowhere) until an org manager or bureau staff in scope
 * approves or rejects it with a reason. Approved records are ordinary training_records rows, so
 * the archive, compliance and grading evidence count them like any other.
 *
 * - the proof file lives outside public/ under `<TIAOJIE_UPLOAD_DIR>/training-proofs/`; the record
 *   holds its key and checked MIME type, the file is typed by its bytes when stored and again when
 *   served, and only through the route that checks access to the record;
 * - the record holds the start date and the decision (who, when, why); the audit events written in
 *   the same transaction are for accountability and are never read back as application state;
 * - concurrency: decisions and withdrawals carry the version the user loaded and apply only while
 *   the record is still that version and pending, so of two reviewers only the first decides.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  type UploadHandler,
} from '@remix-run/node'
import { type AuditActor, audit } from '#app/lib/audit.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { badRequest } from '#app/lib/http.server.ts'
import { isId, newId } from '#app/lib/ids.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { nowIso } from '#app/lib/time.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import type { TrainingFormat, TrainingKind } from '#db/schema.ts'
import { detectProofType, type ExternalRecordInput, PROOF_TYPES, type ProofType, proofNameMatches, proofTypeOfMime } from './external.ts'
import { fromTenths, toTenths } from './rules.ts'

/** Proof files above this are refused while they stream (and never above the server's upload limit). */
export function proofMaxBytes(): number {
  return Math.min(5_000_000, getEnv().MAX_UPLOAD_BYTES)
}

/** Resolved at call time so tests can point it elsewhere. */
export function proofDirectory(): string {
  return path.resolve(process.env.TIAOJIE_UPLOAD_DIR ?? 'data/uploads', 'training-proofs')
}

export type ProofProblem = 'missing' | 'tooLarge' | 'type'

export interface ExternalUpload {
  form: FormData
  proof: { ok: true; bytes: Uint8Array; type: ProofType } | { ok: false; error: ProofProblem }
}

/**
 * Reads the multipart form: text fields as usual (kept, so a refused file does not lose what the
 * mediator typed), and the `proof` file in memory up to `maxBytes`; a larger file is drained and
 * reported instead of aborting the whole request.
 */
export async function readExternalUpload(request: Request, maxBytes: number): Promise<ExternalUpload> {
  let tooLarge = false
  let received: File | null = null
  const proofHandler: UploadHandler = async ({ name, filename, data }) => {
    if (name !== 'proof' || typeof filename !== 'string') return undefined
    const chunks: Uint8Array<ArrayBuffer>[] = []
    let size = 0
    for await (const chunk of data) {
      size += chunk.byteLength
      if (size > maxBytes) tooLarge = true
      else chunks.push(new Uint8Array(chunk))
    }
    if (tooLarge || size === 0) return undefined
    received = new File(chunks, filename)
    return received
  }
  let form: FormData
  try {
    form = await parseMultipartFormData(
      request,
      composeUploadHandlers(proofHandler, createMemoryUploadHandler({ maxPartSize: 20_000, filter: ({ filename }) => !filename })),
    )
  } catch (error) {
    // A text field far beyond any form's limits: not something the form sends.
    if (error instanceof MaxPartSizeExceededError) badRequest()
    throw error
  }
  form.delete('proof')
  if (tooLarge) return { form, proof: { ok: false, error: 'tooLarge' } }
  const file = received as File | null
  if (!file) return { form, proof: { ok: false, error: 'missing' } }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const type = detectProofType(bytes)
  if (!type || !proofNameMatches(file.name, type)) return { form, proof: { ok: false, error: 'type' } }
  return { form, proof: { ok: true, bytes, type } }
}

/** Keys are generated here only; anything else in the column is never turned into a path. */
const PROOF_KEY = /^training-proofs\/[0-9A-HJKMNP-TV-Z]{26}\.(pdf|jpg|png)$/
const proofKey = (recordId: string, type: ProofType) => `training-proofs/${recordId}.${PROOF_TYPES[type].extension}`
const proofFile = (key: string) => path.join(proofDirectory(), path.basename(key))

export interface Claimant {
  personId: string
  userId: string
}

/**
 * Stores the proof, then the pending record and its audit event in one transaction. The same
 * form posted twice (one submission key) creates one record: the second post returns the first
 * record's id and leaves no second file behind.
 */
export async function submitExternalRecord(
  db: DB,
  request: Request,
  actor: AuditActor,
  who: Claimant,
  input: ExternalRecordInput,
  proof: { bytes: Uint8Array; type: ProofType },
): Promise<{ id: string; duplicate: boolean }> {
  const completionKey = `external:${who.personId}:${input.submissionKey}`
  const existing = await db.selectFrom('training_records').select('id').where('completion_key', '=', completionKey).executeTakeFirst()
  if (existing) return { id: existing.id, duplicate: true }
  const id = newId()
  const key = proofKey(id, proof.type)
  const file = proofFile(key)
  await fs.mkdir(proofDirectory(), { recursive: true })
  await fs.writeFile(file, proof.bytes, { mode: 0o600 })
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('training_records')
        .values({
          id,
          person_id: who.personId,
          source: 'external',
          completion_key: completionKey,
          course_slug: null,
          session_id: null,
          title: input.title,
          kind: input.kind,
          format: input.format,
          organiser: input.provider,
          hours_tenths: toTenths(input.hours),
          year: Number(input.endDate.slice(0, 4)),
          completed_on: input.endDate,
          assessment: input.assessment || null,
          status: 'pending',
          created_at: nowIso(),
          created_by: who.userId,
          start_date: input.startDate,
          proof_key: key,
          proof_mime: PROOF_TYPES[proof.type].mime,
        })
        .execute()
      await audit(trx, request, actor, {
        action: 'training.external_submitted',
        recordType: 'training_record',
        recordId: id,
        detail: {
          personId: who.personId,
          title: input.title,
          provider: input.provider,
          startDate: input.startDate,
          endDate: input.endDate,
          hours: input.hours,
          proof: { type: proof.type, bytes: proof.bytes.length, sha256: createHash('sha256').update(proof.bytes).digest('hex') },
        },
      })
    })
  } catch (error) {
    await fs.rm(file, { force: true })
    if (isUniqueViolation(error, ['training_records.completion_key', 'uq_training_records_completion'])) {
      const raced = await db.selectFrom('training_records').select('id').where('completion_key', '=', completionKey).executeTakeFirst()
      if (raced) return { id: raced.id, duplicate: true }
    }
    throw error
  }
  return { id, duplicate: false }
}

export interface ExternalRecord {
  id: string
  personId: string
  personName: string
  orgName: string | null
  title: string
  provider: string | null
  kind: TrainingKind
  format: TrainingFormat
  hours: number
  startDate: string | null
  endDate: string
  assessment: string | null
  status: 'approved' | 'pending' | 'rejected'
  submittedAt: string
  proofType: ProofType | null
  /** Who decided (their display name), when and why; null while pending. */
  decision: { at: string; by: string | null; reason: string | null } | null
  version: number
}

function externalQuery(db: Executor) {
  return db
    .selectFrom('training_records as t')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .innerJoin('regions as pr', 'pr.code', 'p.region_code')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .leftJoin('organisations as o', (join) => join.on((eb) => eb('o.id', '=', eb.fn.coalesce('m.org_id', 'p.org_id'))))
    .leftJoin('users as r', 'r.id', 't.reviewed_by')
    .select([
      't.id',
      't.person_id',
      'p.name as person_name',
      'o.id as org_id',
      'o.name as org_name',
      'pr.path as region_path',
      't.title',
      't.organiser',
      't.kind',
      't.format',
      't.hours_tenths',
      't.completed_on',
      't.assessment',
      't.status',
      't.created_at',
      't.start_date',
      't.proof_key',
      't.proof_mime',
      't.reviewed_at',
      't.review_reason',
      'r.display_name as reviewer_name',
      't.version',
    ])
    .where('t.source', '=', 'external')
}

type ExternalRow = Awaited<ReturnType<ReturnType<typeof externalQuery>['execute']>>[number]

function toExternal(r: ExternalRow): ExternalRecord {
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    orgName: r.org_name ?? null,
    title: r.title,
    provider: r.organiser,
    kind: r.kind,
    format: r.format,
    hours: fromTenths(r.hours_tenths),
    startDate: r.start_date,
    endDate: r.completed_on,
    assessment: r.assessment,
    status: r.status,
    submittedAt: r.created_at,
    proofType: r.proof_key ? proofTypeOfMime(r.proof_mime) : null,
    decision: r.reviewed_at ? { at: r.reviewed_at, by: r.reviewer_name ?? null, reason: r.review_reason } : null,
    version: r.version,
  }
}

/** One external record with what a scope check needs (the claimant's region, organisation, person). */
export async function getExternalRecord(
  db: Executor,
  id: string,
): Promise<{ record: ExternalRecord; scope: { regionPath: string; orgId: string | null; personId: string } } | null> {
  if (!isId(id)) return null
  const row = await externalQuery(db).where('t.id', '=', id).executeTakeFirst()
  if (!row) return null
  return {
    record: toExternal(row),
    scope: { regionPath: row.region_path, orgId: row.org_id ?? null, personId: row.person_id },
  }
}

/** The approval queue: external records of mediators in scope, pending first (oldest first), then recent decisions. */
export async function listExternalRecords(
  db: Executor,
  scope: ListScope,
  status: 'pending' | 'decided',
  limit = 100,
): Promise<ExternalRecord[]> {
  let query = externalQuery(db).where(scopeCondition(scope, { region: 'p.region_code', org: 'o.id', person: 'p.id' }))
  query =
    status === 'pending'
      ? query.where('t.status', '=', 'pending').orderBy('t.created_at', 'asc')
      : query.where('t.status', '!=', 'pending').orderBy('t.created_at', 'desc')
  const rows = await query.orderBy('t.id').limit(limit).execute()
  return rows.map(toExternal)
}

/** A person's own external records (pending and rejected ones show on their archive with the reason). */
export async function externalRecordsOf(db: Executor, personId: string): Promise<ExternalRecord[]> {
  const rows = await externalQuery(db).where('t.person_id', '=', personId).orderBy('t.created_at', 'desc').execute()
  return rows.map(toExternal)
}

export type ReviewOutcome = 'decided' | 'stale'

/**
 * Approves or rejects a pending record as the reviewer saw it (`version`). Zero rows updated means
 * someone else decided or the claimant withdrew meanwhile: 'stale', nothing is overwritten.
 */
export async function reviewExternalRecord(
  db: DB,
  request: Request,
  actor: AuditActor,
  id: string,
  version: number,
  decision: { approve: true } | { approve: false; reason: string },
): Promise<ReviewOutcome> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('training_records')
      .set((eb) => ({
        status: decision.approve ? 'approved' : 'rejected',
        reviewed_by: actor.userId,
        reviewed_at: nowIso(),
        review_reason: decision.approve ? null : decision.reason,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('source', '=', 'external')
      .where('status', '=', 'pending')
      .where('version', '=', version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return 'stale'
    await audit(trx, request, actor, {
      action: decision.approve ? 'training.external_approved' : 'training.external_rejected',
      recordType: 'training_record',
      recordId: id,
      detail: decision.approve ? {} : { reason: decision.reason },
    })
    return 'decided'
  })
}

/**
 * The claimant withdraws a record still pending and as they saw it (`version`); its proof file goes
 * with it. False when it was decided (or changed) meanwhile: nothing is deleted.
 */
export async function withdrawExternalRecord(
  db: DB,
  request: Request,
  actor: AuditActor,
  id: string,
  personId: string,
  version: number,
): Promise<boolean> {
  const removed = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('training_records')
      .select('proof_key')
      .where('id', '=', id)
      .where('person_id', '=', personId)
      .where('source', '=', 'external')
      .executeTakeFirst()
    if (!row) return null
    const deleted = await trx
      .deleteFrom('training_records')
      .where('id', '=', id)
      .where('person_id', '=', personId)
      .where('source', '=', 'external')
      .where('status', '=', 'pending')
      .where('version', '=', version)
      .executeTakeFirst()
    if (Number(deleted.numDeletedRows) !== 1) return null
    await audit(trx, request, actor, { action: 'training.external_withdrawn', recordType: 'training_record', recordId: id })
    return { proofKey: row.proof_key }
  })
  if (!removed) return false
  // After the commit: a failed delete leaves an unreachable file, never a record without its proof.
  if (removed.proofKey && PROOF_KEY.test(removed.proofKey)) await fs.rm(proofFile(removed.proofKey), { force: true })
  return true
}

/** The proof file of a record, if its bytes still say what the record claims; null otherwise. */
export async function readProof(db: Executor, id: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; type: ProofType } | null> {
  if (!isId(id)) return null
  const row = await db
    .selectFrom('training_records')
    .select(['proof_key', 'proof_mime'])
    .where('id', '=', id)
    .where('source', '=', 'external')
    .executeTakeFirst()
  const type = proofTypeOfMime(row?.proof_mime ?? null)
  if (!row?.proof_key || !PROOF_KEY.test(row.proof_key) || !type) return null
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = new Uint8Array(await fs.readFile(proofFile(row.proof_key)))
  } catch {
    return null
  }
  // Serve only what the bytes say, whatever the name or the column claims.
  return detectProofType(bytes) === type ? { bytes, type } : null
}
