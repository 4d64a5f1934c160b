/**
 * Contract checks for the partner API tests: every response is validated against the published
 * OpenAPI document (Ajv, JSON Schema 2020-12), and the operations exercised are recorded so a test
 * can assert that each documented operation was seen.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { expect } from 'vitest'
import { openApiDocument } from '#app/modules/api/openapi.ts'

const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>>
}
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addSchema(doc as object, 'openapi.json')

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

export const seen = new Set<string>()

/**
 * Asserts the status is documented for the operation and, when the response has a body, that the
 * body is JSON matching the documented schema. Returns the parsed body.
 */
export async function expectContract(response: Response, method: string, template: string): Promise<any> {
  const op = doc.paths[template]?.[method.toLowerCase()]
  expect(op, `${method} ${template} is documented`).toBeTruthy()
  const status = String(response.status)
  const documented = op!.responses[status]
  expect(documented, `${method} ${template} documents status ${status}`).toBeTruthy()
  seen.add(`${op!.operationId} ${status}`)
  if (response.status === 304) {
    expect(await response.text()).toBe('')
    return null
  }
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const body = await response.json()
  const schemaRef = `openapi.json#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`
  const validate = ajv.getSchema(schemaRef)
  expect(validate, schemaRef).toBeTruthy()
  const valid = validate!(body)
  expect(valid, `${method} ${template} ${status}: ${JSON.stringify(validate!.errors)} for ${JSON.stringify(body).slice(0, 500)}`).toBe(true)
  return body
}

export function documentedOperations(): string[] {
  return Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId))
}
