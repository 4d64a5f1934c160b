/**
 * JSON in and out for the partner API: one error object everywhere, ETags with If-None-Match,
 * bodies read with a size cap, strict parsing of queries and bodies into field errors.
 */
import { createHash } from 'node:crypto'
import type { z } from 'zod'
import { MAX_API_BODY_BYTES } from './model.ts'
import { type FieldError, fieldErrors } from './problems.ts'
import type { ApiErrorBody, ApiErrorCode } from './schemas.ts'

const JSON_TYPE = 'application/json; charset=utf-8'

/** Thrown inside an API handler; the handler turns it into the error response. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
}

export function problemResponse(problem: ApiProblem): Response {
  const body: ApiErrorBody = {
    error: { code: problem.code, message: problem.message, ...(problem.fields?.length ? { fields: problem.fields } : {}) },
  }
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', ...problem.headers },
  })
}

export function apiError(status: number, code: ApiErrorCode, message: string, fields?: FieldError[], headers?: Record<string, string>) {
  return problemResponse(new ApiProblem(status, code, message, fields, headers))
}

export function invalid(fields: FieldError[], message = 'The request has invalid fields.'): ApiProblem {
  return new ApiProblem(400, 'invalid_request', message, fields)
}

export const notFoundProblem = () => new ApiProblem(404, 'not_found', 'No such resource.')

/** A weak ETag over the serialised body: equal bodies, equal tags, on every app server. */
export function etagOf(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  const bare = etag.replace(/^W\//, '')
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare)
}

/**
 * A cacheable JSON answer to a GET: 304 without a body when If-None-Match names its ETag.
 * `private, no-cache`: a client may keep it but must revalidate, and shared caches never store it.
 */
export function jsonWithEtag(request: Request, data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const body = JSON.stringify(data)
  const etag = etagOf(body)
  const common = { ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Authorization', ...headers }
  if (request.method === 'GET' && matches(request.headers.get('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers: common })
  }
  return new Response(body, { status, headers: { 'Content-Type': JSON_TYPE, ...common } })
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', ...headers } })
}

/**
 * Reads a JSON body: 415 for another type; 400 `payload_too_large` above the cap (checked while
 * reading, whatever Content-Length claims) and 400 `invalid_json` when unparsable.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_API_BODY_BYTES): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json') {
    throw new ApiProblem(415, 'unsupported_media_type', 'Send the body as application/json.')
  }
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) throw tooLarge(maxBytes)
  const text = await readCapped(request, maxBytes)
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ApiProblem(400, 'invalid_json', 'The body is not valid JSON.', [{ field: '', code: 'invalid', message: 'Not valid JSON' }])
  }
}

const tooLarge = (max: number) =>
  new ApiProblem(400, 'payload_too_large', `The body is larger than ${max} bytes.`, [
    { field: '', code: 'too_big', message: `At most ${max} bytes` },
  ])

async function readCapped(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Parses a body against a strict schema; every problem becomes a field error (400). */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues))
  return parsed.data
}

/** Query parameters against a strict schema; a repeated parameter is an error, not an array. */
export function parseQuery<S extends z.ZodTypeAny>(schema: S, url: URL): z.output<S> {
  const raw: Record<string, string> = {}
  const repeated: FieldError[] = []
  for (const [key, value] of url.searchParams) {
    if (Object.hasOwn(raw, key)) repeated.push({ field: key, code: 'wrong_type', message: 'Given more than once' })
    raw[key] = value
  }
  if (repeated.length) throw invalid(repeated, 'The query has invalid parameters.')
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw invalid(fieldErrors(parsed.error.issues), 'The query has invalid parameters.')
  return parsed.data
}
