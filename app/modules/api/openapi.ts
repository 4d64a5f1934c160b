/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas in schemas.ts: the same
 * objects the routes validate requests with. Built once per process (it depends on nothing else).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi'
import { z } from '#app/lib/validation.ts'
import { ACCESS_TOKEN_SECONDS, type ApiScope } from './model.ts'
import {
  caseIdParams,
  errorSchema,
  expertPage,
  expertsQuery,
  mediatorPage,
  mediatorsQuery,
  oauthErrorSchema,
  organisationPage,
  organisationsQuery,
  referralInput,
  referralPage,
  referralSchema,
  referralsQuery,
  tokenRequest,
  tokenResponse,
} from './schemas.ts'

const SCOPE_TEXT: Record<ApiScope, string> = {
  'organisations:read': 'Read mediation organisations in the client’s region',
  'mediators:read': 'Read graded mediators in the client’s region',
  'experts:read': 'Read the published fields of experts appointed in the client’s region',
  'cases:refer': 'Refer difficult cases (courts and police only)',
  'cases:read': 'Read the status and outcome of the client’s own referrals',
}

const jsonOf = (schema: z.ZodTypeAny) => ({ 'application/json': { schema } })
const error = (description: string) => ({ description, content: jsonOf(errorSchema) })

const rateHeaders = z.object({
  'RateLimit-Limit': z.string().openapi({ description: 'Requests allowed per minute' }),
  'RateLimit-Remaining': z.string().openapi({ description: 'Requests left in this minute' }),
  'RateLimit-Reset': z.string().openapi({ description: 'Seconds until the minute resets' }),
})
const cacheHeaders = rateHeaders.extend({ ETag: z.string().openapi({ description: 'Send back in If-None-Match' }) })

const COMMON_ERRORS = {
  400: error('Invalid parameters: one machine-readable error per field'),
  401: error('Missing, unknown or expired credentials'),
  403: error('The client lacks the scope, or the region is outside the client’s'),
  429: {
    description: 'Rate limit reached',
    headers: rateHeaders.extend({ 'Retry-After': z.string().openapi({ description: 'Seconds to wait' }) }),
    content: jsonOf(errorSchema),
  },
}

const ifNoneMatch = z.object({ 'If-None-Match': z.string().optional().openapi({ description: 'An ETag from an earlier answer' }) })

function secured(scope: ApiScope): Record<string, string[]>[] {
  return [{ bearerAuth: [scope] }, { oauth2: [scope] }]
}

function listRoute(path: string, operationId: string, summary: string, scope: ApiScope, query: RouteConfig['request'], page: z.ZodTypeAny) {
  return {
    method: 'get' as const,
    path,
    operationId,
    summary,
    tags: [scope.split(':')[0]!],
    security: secured(scope),
    request: { ...query, headers: ifNoneMatch },
    responses: {
      200: { description: 'One page, ordered; follow `nextCursor`', headers: cacheHeaders, content: jsonOf(page) },
      304: { description: 'Not modified since the ETag sent in If-None-Match', headers: cacheHeaders },
      ...COMMON_ERRORS,
    },
  } satisfies RouteConfig
}

function buildDocument() {
  const registry = new OpenAPIRegistry()
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from /api/v1/oauth/token, or the client secret itself used as an API token',
  })
  registry.registerComponent('securitySchemes', 'oauth2', {
    type: 'oauth2',
    flows: { clientCredentials: { tokenUrl: '/api/v1/oauth/token', scopes: SCOPE_TEXT } },
  })

  registry.registerPath({
    method: 'post',
    path: '/api/v1/oauth/token',
    operationId: 'issueToken',
    summary: 'Exchange client credentials for an access token (OAuth 2.0 client credentials grant)',
    description: `HTTP Basic authentication with the client id and secret (or both in the form). Tokens live ${ACCESS_TOKEN_SECONDS} seconds.`,
    tags: ['oauth'],
    security: [],
    request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: tokenRequest } } } },
    responses: {
      200: { description: 'An access token', content: jsonOf(tokenResponse) },
      400: { description: 'RFC 6749 error (invalid_request, unsupported_grant_type, invalid_scope)', content: jsonOf(oauthErrorSchema) },
      401: { description: 'RFC 6749 invalid_client', content: jsonOf(oauthErrorSchema) },
      429: COMMON_ERRORS[429],
    },
  })

  registry.registerPath(
    listRoute(
      '/api/v1/organisations',
      'listOrganisations',
      'Active mediation organisations (committees, studios, associations) in the client’s region',
      'organisations:read',
      { query: organisationsQuery },
      organisationPage,
    ),
  )
  registry.registerPath(
    listRoute(
      '/api/v1/mediators',
      'listMediators',
      'Graded mediators whose grade a finished 公示 made public, in the client’s region',
      'mediators:read',
      { query: mediatorsQuery },
      mediatorPage,
    ),
  )
  registry.registerPath(
    listRoute(
      '/api/v1/experts',
      'listExperts',
      'Published fields of experts in office, appointed in the client’s region',
      'experts:read',
      { query: expertsQuery },
      expertPage,
    ),
  )
  registry.registerPath(
    listRoute(
      '/api/v1/cases',
      'listReferrals',
      'The client’s own referrals, newest first, with status and outcome',
      'cases:read',
      { query: referralsQuery },
      referralPage,
    ),
  )
  registry.registerPath({
    method: 'post',
    path: '/api/v1/cases',
    operationId: 'referCase',
    summary: 'Refer a difficult case (诉调 for courts, 警调 for police)',
    description:
      'The case is registered in the intake queue of the region named (status `registered`). Retrying with the same Idempotency-Key and body returns the same case (200); the same key with another body is refused (409).',
    tags: ['cases'],
    security: secured('cases:refer'),
    request: {
      headers: z.object({
        'Idempotency-Key': z
          .string()
          .regex(/^[A-Za-z0-9._:-]{8,100}$/)
          .openapi({ description: '8-100 characters, unique per referral', example: 'court-2026-000123' }),
      }),
      body: { required: true, content: jsonOf(referralInput) },
    },
    responses: {
      201: {
        description: 'Referred; Location names the case',
        headers: rateHeaders.extend({ Location: z.string() }),
        content: jsonOf(referralSchema),
      },
      200: {
        description: 'Already referred with this Idempotency-Key: the same case',
        headers: rateHeaders,
        content: jsonOf(referralSchema),
      },
      ...COMMON_ERRORS,
      409: error('The Idempotency-Key was used for a different request'),
      415: error('The body is not application/json'),
    },
  })
  registry.registerPath({
    method: 'get',
    path: '/api/v1/cases/{id}',
    operationId: 'getReferral',
    summary: 'One of the client’s referrals: status and outcome',
    tags: ['cases'],
    security: secured('cases:read'),
    request: { params: caseIdParams, headers: ifNoneMatch },
    responses: {
      200: { description: 'The referral', headers: cacheHeaders, content: jsonOf(referralSchema) },
      304: { description: 'Not modified since the ETag sent in If-None-Match', headers: cacheHeaders },
      ...COMMON_ERRORS,
      404: error('No such referral of this client'),
    },
  })

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tiaojie partner API',
      version: '1.0.0',
      description:
        'For courts, police, procuratorates and other partner systems registered by a Tiaojie administrator. ' +
        'JSON, cursor pagination, ETags, per-client rate limits; every call is audited.',
    },
    servers: [{ url: '/' }],
  })
}

let cached: ReturnType<typeof buildDocument> | undefined

export function openApiDocument() {
  cached ??= buildDocument()
  return cached
}
