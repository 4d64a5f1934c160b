import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor, pageOf } from './cursor.ts'

describe('API cursors', () => {
  it('round-trips a position and rejects anything else', () => {
    const cursor = encodeCursor({ key: '2026-12-05', id: '01JFZ8Q6V3N4K2M7T5W9XYZABC' })
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeCursor(cursor)).toEqual({ key: '2026-12-05', id: '01JFZ8Q6V3N4K2M7T5W9XYZABC' })
    expect(decodeCursor('$$')).toBeNull()
    expect(decodeCursor(Buffer.from('{"id":1}').toString('base64url'))).toBeNull()
    expect(decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toBeNull()
    expect(decodeCursor('')).toBeNull()
  })

  it('cuts a page fetched with one extra row and points past its last row', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }]
    const page = pageOf(rows, 2, (r) => ({ key: r.id, id: r.id }))
    expect(page.data).toEqual([{ id: 'a' }, { id: 'b' }])
    expect(decodeCursor(page.nextCursor!)).toEqual({ key: 'b', id: 'b' })
    expect(pageOf(rows, 3, (r) => ({ key: r.id, id: r.id })).nextCursor).toBeNull()
  })
})
