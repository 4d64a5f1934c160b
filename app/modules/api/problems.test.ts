import { describe, expect, it } from 'vitest'
import { z } from '#app/lib/validation.ts'
import { fieldErrors } from './problems.ts'

const schema = z
  .object({
    title: z.string().max(5),
    count: z.number().int(),
    kind: z.enum(['a', 'b']),
    items: z.array(z.object({ name: z.string() }).strict()),
  })
  .strict()

describe('API field errors', () => {
  it('gives every offending field a machine-readable code at its own path', () => {
    const parsed = schema.safeParse({ title: 'too long', count: 'x', kind: 'c', items: [{ name: 'n', extra: 1 }], surprise: true })
    expect(parsed.success).toBe(false)
    const errors = fieldErrors(parsed.error!.issues)
    expect(errors.map(({ field, code }) => ({ field, code }))).toEqual(
      expect.arrayContaining([
        { field: 'title', code: 'too_big' },
        { field: 'count', code: 'wrong_type' },
        { field: 'kind', code: 'invalid_choice' },
        { field: 'items.0.extra', code: 'unknown_field' },
        { field: 'surprise', code: 'unknown_field' },
      ]),
    )
    expect(errors.find((e) => e.field === 'title')!.message).toMatch(/5/)
  })

  it('tells a missing field from a wrong one, and renames fields on request', () => {
    const parsed = schema.safeParse({ count: 1, kind: 'a', items: [] })
    const errors = fieldErrors(parsed.error!.issues, (f) => (f === 'title' ? 'heading' : f))
    expect(errors).toEqual([{ field: 'heading', code: 'required', message: expect.any(String) }])
  })
})
