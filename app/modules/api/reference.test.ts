import { describe, expect, it } from 'vitest'
import { openApiDocument } from './openapi.ts'
import { type OpenApiLike, referenceOf, typeText } from './reference.ts'

describe('API reference page model', () => {
  it('lists every operation of the published document with its scope, parameters and responses', () => {
    const { operations, schemas } = referenceOf(openApiDocument() as unknown as OpenApiLike)
    const refer = operations.find((op) => op.id === 'referCase')!
    expect(refer).toEqual(expect.objectContaining({ method: 'POST', path: '/api/v1/cases', scopes: ['cases:refer'] }))
    expect(refer.body).toEqual({ contentType: 'application/json', type: 'ReferralInput' })
    expect(refer.parameters.map((p) => p.name)).toContain('Idempotency-Key (header)')
    expect(refer.responses.map((r) => r.status)).toEqual(expect.arrayContaining(['200', '201', '400', '409', '429']))
    expect(operations.find((op) => op.id === 'listOrganisations')!.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit (query)', 'cursor (query)', 'region (query)']),
    )
    const input = schemas.find((s) => s.name === 'ReferralInput')!
    expect(input.fields.find((f) => f.name === 'parties')).toEqual(expect.objectContaining({ type: 'ReferralParty[]', required: true }))
    expect(input.fields.find((f) => f.name === 'summary')!.description).toContain('4000')
  })

  it('writes types readably', () => {
    expect(typeText({ type: ['string', 'null'] })).toBe('string | null')
    expect(typeText({ type: 'string', enum: ['a', 'b'] })).toBe('"a" | "b"')
    expect(typeText({ type: 'array', items: { $ref: '#/components/schemas/Expert' } })).toBe('Expert[]')
    expect(typeText({ anyOf: [{ type: 'string', enum: ['x'] }, { type: 'null' }] })).toBe('"x" | null')
    expect(typeText(undefined)).toBe('any')
  })
})
