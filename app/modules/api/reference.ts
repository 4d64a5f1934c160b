/**
 * Turns the OpenAPI document into what the reference page (/api/docs) shows: operations with their
 * parameters and responses, and each schema as a table of fields. Pure, so the page and its test
 * read the same document the API publishes.
 */

// The parts of an OpenAPI 3.1 document the page reads (the generator's own types are wider).
interface SchemaNode {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  items?: SchemaNode
  format?: string
  description?: string
  properties?: Record<string, SchemaNode>
  required?: string[]
  anyOf?: SchemaNode[]
  oneOf?: SchemaNode[]
  maxLength?: number
  maximum?: number
  minimum?: number
  pattern?: string
  default?: unknown
}

interface ParameterNode {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: SchemaNode
}

interface OperationNode {
  operationId?: string
  summary?: string
  description?: string
  tags?: string[]
  security?: Record<string, string[]>[]
  parameters?: ParameterNode[]
  requestBody?: { content?: Record<string, { schema?: SchemaNode }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: SchemaNode }> }>
}

export interface OpenApiLike {
  info: { title: string; version: string; description?: string }
  paths?: Record<string, Record<string, OperationNode>>
  components?: { schemas?: Record<string, SchemaNode> }
}

export interface ReferenceField {
  name: string
  type: string
  required: boolean
  description: string
}

export interface ReferenceOperation {
  id: string
  method: string
  path: string
  summary: string
  description: string
  scopes: string[]
  parameters: ReferenceField[]
  body: { contentType: string; type: string } | null
  responses: { status: string; description: string; type: string | null }[]
}

export interface ReferenceSchema {
  name: string
  description: string
  fields: ReferenceField[]
}

const refName = (ref: string) => ref.replace('#/components/schemas/', '')

/** A short, readable type: `Organisation`, `string | null`, `"court" | "police"`, `Expert[]`. */
export function typeText(node: SchemaNode | undefined): string {
  if (!node) return 'any'
  if (node.$ref) return refName(node.$ref)
  const alternatives = node.anyOf ?? node.oneOf
  if (alternatives) return alternatives.map(typeText).join(' | ')
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : []
  const base = node.enum ? node.enum.map((v) => JSON.stringify(v)).join(' | ') : null
  const parts = types.map((t) => {
    if (t === 'array') return `${typeText(node.items)}[]`
    if (t === 'null') return 'null'
    if (base && t !== 'null') return base
    return node.format ? `${t} (${node.format})` : t
  })
  return parts.length ? parts.join(' | ') : (base ?? 'any')
}

function constraints(node: SchemaNode | undefined): string {
  if (!node) return ''
  const notes: string[] = []
  if (node.maxLength !== undefined) notes.push(`≤ ${node.maxLength} characters`)
  if (node.minimum !== undefined && node.maximum !== undefined) notes.push(`${node.minimum}–${node.maximum}`)
  if (node.default !== undefined) notes.push(`default ${JSON.stringify(node.default)}`)
  return notes.join('; ')
}

function describe(node: SchemaNode | undefined, extra?: string): string {
  return [extra ?? node?.description ?? '', constraints(node)].filter(Boolean).join(' · ')
}

function fieldsOf(node: SchemaNode): ReferenceField[] {
  const required = new Set(node.required ?? [])
  return Object.entries(node.properties ?? {}).map(([name, prop]) => ({
    name,
    type: typeText(prop),
    required: required.has(name),
    description: describe(prop),
  }))
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

export function referenceOf(doc: OpenApiLike): { operations: ReferenceOperation[]; schemas: ReferenceSchema[] } {
  const operations: ReferenceOperation[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const bodyEntry = Object.entries(op.requestBody?.content ?? {})[0]
      operations.push({
        id: op.operationId ?? `${method}-${path}`,
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? '',
        description: op.description ?? '',
        scopes: [...new Set((op.security ?? []).flatMap((s) => Object.values(s).flat()))],
        parameters: (op.parameters ?? []).map((p) => ({
          name: `${p.name} (${p.in})`,
          type: typeText(p.schema),
          required: !!p.required,
          description: describe(p.schema, p.description ?? p.schema?.description),
        })),
        body: bodyEntry ? { contentType: bodyEntry[0], type: typeText(bodyEntry[1].schema) } : null,
        responses: Object.entries(op.responses ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([status, response]) => {
            const schema = Object.values(response.content ?? {})[0]?.schema
            return { status, description: response.description ?? '', type: schema ? typeText(schema) : null }
          }),
      })
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, node]) => ({ name, description: node.description ?? '', fields: fieldsOf(node) }))
    .sort((a, b) => a.name.localeCompare(b.name))
  return { operations, schemas }
}
