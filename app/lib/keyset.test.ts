import { describe, expect, it } from 'vitest'
import { cursorPages, encodeCursor, parseCursor } from './keyset.ts'

const AT = '2026-11-23T08:00:00.000Z'
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`

describe('keyset cursors', () => {
  it('round-trips and refuses anything malformed', () => {
    const raw = encodeCursor(AT, '01JDXYZ')
    expect(parseCursor(new URLSearchParams({ after: raw }))).toEqual({ direction: 'after', at: AT, id: '01JDXYZ' })
    expect(parseCursor(new URLSearchParams({ before: raw }))).toEqual({ direction: 'before', at: AT, id: '01JDXYZ' })
    for (const bad of ['', 'x', `${AT}`, `${AT}~`, '2026-11-23~abc', `${AT}~a~b`, `${AT}~a'b`]) {
      expect(parseCursor(new URLSearchParams({ after: bad })), bad).toBeNull()
    }
  })

  it('links the first page forward only, keeping the filters', () => {
    const rows = [
      { at: '2026-11-23T09:00:00.000Z', id: 'B' },
      { at: AT, id: 'A' },
    ]
    const pages = cursorPages(new URLSearchParams({ user: 'zz', page: '3' }), null, rows, true)
    expect(pages).toEqual({ first: null, previous: null, next: q({ user: 'zz', after: encodeCursor(AT, 'A') }) })
    expect(cursorPages(new URLSearchParams(), null, rows, false).next).toBeNull()
  })

  it('after a cursor: back and first exist; before a cursor: next always exists', () => {
    const rows = [
      { at: '2026-11-23T09:00:00.000Z', id: 'B' },
      { at: AT, id: 'A' },
    ]
    const after = cursorPages(new URLSearchParams({ after: encodeCursor(AT, 'Z') }), { direction: 'after', at: AT, id: 'Z' }, rows, false)
    expect(after.first).toBe('?')
    expect(after.previous).toBe(q({ before: encodeCursor('2026-11-23T09:00:00.000Z', 'B') }))
    expect(after.next).toBeNull()
    const before = cursorPages(new URLSearchParams(), { direction: 'before', at: AT, id: 'Z' }, rows, false)
    expect(before).toMatchObject({ first: null, previous: null })
    expect(before.next).not.toBeNull()
  })
})
