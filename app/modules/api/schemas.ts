/**
 * The partner API's request and response schemas. The same zod objects validate every request
 * (strict: unknown fields are errors) and generate the OpenAPI 3.1 document (openapi.ts), so the
 * published contract cannot drift from what the server accepts.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi'
import { z } from '#app/lib/validation.ts'
import { CASE_DIFFICULTIES, CASE_STATUSES, CONSULTATION_MODES } from '#app/modules/cases/model.ts'
import { TIERS } from '#app/modules/experts/model.ts'
import { PUBLIC_ORG_KINDS } from '#app/modules/directory/model.ts'
import { API_SCOPES } from './model.ts'

extendZodWithOpenApi(z)

const regionCode = z
  .string()
  .regex(/^\d{6,12}$/)
  .openapi({ description: 'GB/T 2260 region code (6 digits) or a longer township code', example: '110108' })
const id = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)
  .openapi({ description: '26-character id', example: '01JFZ8Q6V3N4K2M7T5W9XYZABC' })
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .openapi({ format: 'date', example: '2027-01-15' })
const instant = z.string().openapi({ format: 'date-time', example: '2026-12-05T08:00:00.000Z' })

// Requests ------------------------------------------------------------------------------------

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ description: 'Rows per page (1-100)', example: 50 }),
  cursor: z.string().max(400).optional().openapi({ description: 'The `nextCursor` of the previous page' }),
}

const searchText = z.string().trim().max(100).optional().openapi({ description: 'Words to search for, separated by spaces' })
const regionFilter = regionCode.optional().openapi({ description: 'Only this region and below (within the client’s region)' })
const disputeTypeFilter = z.string().max(32).optional().openapi({ description: 'A dispute-type code', example: '医疗' })

export const organisationsQuery = z
  .object({ ...pageQuery, q: searchText, region: regionFilter, kind: z.enum(PUBLIC_ORG_KINDS).optional(), disputeType: disputeTypeFilter })
  .strict()

export const mediatorsQuery = z.object({ ...pageQuery, q: searchText, region: regionFilter }).strict()

export const expertsQuery = z
  .object({ ...pageQuery, q: searchText, region: regionFilter, tier: z.enum(TIERS).optional(), disputeType: disputeTypeFilter })
  .strict()

export const referralsQuery = z
  .object({
    ...pageQuery,
    status: z.enum(CASE_STATUSES).optional(),
  })
  .strict()

export const caseIdParams = z.object({ id })

const partyInput = z
  .object({
    kind: z.enum(['person', 'organisation']),
    name: z.string().trim().min(1).max(200),
    idNumber: z
      .string()
      .max(18)
      .optional()
      .openapi({ description: 'Resident ID number (18 characters, checked); stored encrypted, never returned' }),
  })
  .strict()
  .openapi('ReferralParty')

/** A case referred by a court (诉调) or police (警调) client. */
export const referralInput = z
  .object({
    externalRef: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: 'The referring system’s own reference', example: '(2026)京0108民诉前调1234号' }),
    title: z.string().trim().min(1).max(200),
    summary: z.string().trim().min(1).max(4000),
    disputeType: z.string().trim().min(1).max(32).openapi({ description: 'Dispute-type code', example: '婚姻家庭' }),
    regionCode: regionCode.openapi({ description: 'Where the dispute arose; must lie within the client’s region' }),
    organisationId: id
      .optional()
      .openapi({ description: 'Handling organisation within the region; by default the justice office or bureau of the region' }),
    difficulty: z.enum(CASE_DIFFICULTIES).default('complex'),
    amountYuan: z.number().min(0).max(10_000_000_000).optional(),
    parties: z.array(partyInput).min(1).max(20),
    partyCount: z.number().int().min(2).max(999).optional().openapi({ description: 'Defaults to the number of parties (at least 2)' }),
    expertsNeeded: z.number().int().min(1).max(9).default(1),
    consultationMode: z.enum(CONSULTATION_MODES).default('written'),
    deadline: calendarDate.openapi({ description: 'When the referring body needs the result' }),
  })
  .strict()
  .openapi('ReferralInput')
export type ReferralInput = z.infer<typeof referralInput>

// Responses -----------------------------------------------------------------------------------

const regionRef = z.object({ code: z.string(), name: z.string() }).openapi('RegionRef')
const organisationRef = z.object({ id, name: z.string() }).strict().openapi('OrganisationRef')

const disputeTypeRef = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() }).strict().openapi('DisputeTypeRef')

export const organisationSchema = z
  .object({
    id,
    name: z.string(),
    kind: z.enum(PUBLIC_ORG_KINDS),
    sector: disputeTypeRef.nullable().openapi({ description: 'The sector of a sector (行业性专业性) committee' }),
    region: regionRef,
    address: z.string().nullable(),
    officePhone: z.string().nullable().openapi({ description: 'The office line (a mobile number is never published)' }),
    services: z.string().nullable().openapi({ description: 'Services offered (服务内容)' }),
    openingHours: z.string().nullable().openapi({ description: 'Opening hours (办公时间)' }),
    disputeTypes: z.array(disputeTypeRef).openapi({ description: 'Kinds of dispute it takes' }),
  })
  .strict()
  .openapi('Organisation')

export const mediatorSchema = z
  .object({
    id: id.openapi({ description: 'The published grade record (not the person)' }),
    name: z.string(),
    organisationName: z.string().nullable().openapi({ description: 'Null when the mediator has chosen to hide it' }),
    grade: z
      .object({
        name: z.string(),
        rank: z.number().int().openapi({ description: '1 is the highest grade of the ladder' }),
        association: z.string().openapi({ description: 'The association that awarded it' }),
        validUntil: calendarDate.nullable().openapi({ description: 'Null when the mediator has chosen to hide it' }),
      })
      .strict()
      .openapi('MediatorGrade'),
  })
  .strict()
  .openapi('Mediator')

export const expertSchema = z
  .object({
    id,
    name: z.string(),
    tier: z.enum(TIERS).optional(),
    domains: z
      .array(
        z
          .object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), role: z.enum(['primary', 'secondary', 'specialty']) })
          .strict()
          .openapi('ExpertDomain'),
      )
      .optional(),
    employer: z.string().optional(),
    title: z.string().nullable().optional(),
    regionName: z.string().nullable().optional().openapi({ description: 'Region of the appointing body' }),
  })
  .strict()
  .openapi('Expert', { description: 'Fields other than id and name appear only when this deployment publishes them' })

export const referralSchema = z
  .object({
    id: id.openapi({ description: 'The case id in Tiaojie' }),
    caseNumber: z.string().openapi({ example: '（2026）海中关村人调字第 12 号' }),
    externalRef: z.string(),
    source: z.enum(['court', 'police']),
    status: z.enum(CASE_STATUSES),
    outcome: z.union([z.enum(['succeeded', 'failed']), z.null()]).openapi({ description: 'Set once mediation has concluded' }),
    outcomeNote: z.string().nullable(),
    region: regionRef,
    organisation: organisationRef,
    referredAt: instant,
    acceptedAt: instant.nullable(),
    concludedAt: instant.nullable(),
    closedAt: instant.nullable(),
    deadline: calendarDate,
    due: calendarDate.openapi({ description: 'The mediation time limit (30 days from acceptance, plus any extension)' }),
    updatedAt: instant,
  })
  .strict()
  .openapi('Referral')
export type ReferralView = z.infer<typeof referralSchema>

const page = <T extends z.ZodTypeAny>(item: T, name: string) =>
  z
    .object({
      data: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page' }),
    })
    .strict()
    .openapi(name)

export const organisationPage = page(organisationSchema, 'OrganisationPage')
export const mediatorPage = page(mediatorSchema, 'MediatorPage')
export const expertPage = page(expertSchema, 'ExpertPage')
export const referralPage = page(referralSchema, 'ReferralPage')

export const fieldErrorSchema = z
  .object({
    field: z.string().openapi({ description: 'Dotted path of the field, e.g. `parties.0.name`; empty for the body itself' }),
    code: z
      .enum(['required', 'unknown_field', 'wrong_type', 'too_big', 'too_small', 'invalid_choice', 'invalid'])
      .openapi({ description: 'Machine-readable reason' }),
    message: z.string(),
  })
  .strict()
  .openapi('FieldError')

export const ERROR_CODES = [
  'invalid_request',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'insufficient_scope',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'idempotency_key_reused',
  'rate_limited',
  'server_error',
] as const
export type ApiErrorCode = (typeof ERROR_CODES)[number]

export const errorSchema = z
  .object({
    error: z
      .object({
        code: z.enum(ERROR_CODES),
        message: z.string(),
        fields: z.array(fieldErrorSchema).optional(),
      })
      .strict(),
  })
  .strict()
  .openapi('Error')
export type ApiErrorBody = z.infer<typeof errorSchema>

export const tokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    scope: z.string().openapi({ description: 'Granted scopes, space-separated' }),
  })
  .strict()
  .openapi('TokenResponse')

export const oauthErrorSchema = z
  .object({
    error: z.enum(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']),
    error_description: z.string().optional(),
  })
  .strict()
  .openapi('OAuthError')

export const tokenRequest = z
  .object({
    grant_type: z.string().openapi({ description: 'Must be `client_credentials`' }),
    client_id: z.string().max(40).optional().openapi({ description: 'When not sent with HTTP Basic authentication' }),
    client_secret: z.string().max(200).optional(),
    scope: z
      .string()
      .max(500)
      .optional()
      .openapi({ description: `Space-separated subset of the client’s scopes: ${API_SCOPES.join(', ')}` }),
  })
  .openapi('TokenRequest')
