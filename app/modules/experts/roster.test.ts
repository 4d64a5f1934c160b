import { describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { decodeCursor, encodeCursor, parseRosterQuery, rosterSearch } from './roster.ts'

const url = (search: string) => new URL(`http://localhost/experts${search}`)

describe('roster URL state', () => {
  it('falls back to defaults for missing or malformed values', () => {
    const query = parseRosterQuery(url('?tier=galactic&status=&size=7&sort=evil&region=11;drop'))
    expect(query).toMatchObject({
      tier: null,
      status: null,
      region: null,
      sort: 'name',
      dir: 'asc',
      pageSize: 20,
      cursor: null,
      mine: false,
    })
  })

  it('reads filters', () => {
    const query = parseRosterQuery(url('?q=%20王%20&tier=district&status=active&region=110108&domain=医疗&term=expiring&mine=1&size=50'))
    expect(query).toMatchObject({
      q: '王',
      tier: 'district',
      status: 'active',
      region: '110108',
      domain: '医疗',
      term: 'expiring',
      mine: true,
      pageSize: 50,
    })
  })

  it('round-trips a cursor (Chinese names included) and ignores one made for another sort', () => {
    const id = newId()
    const cursor = encodeCursor('name', 'asc', '王建国', id)
    expect(decodeCursor(cursor, 'name', 'asc')).toEqual({ value: '王建国', id })
    expect(decodeCursor(cursor, 'term_end', 'asc')).toBeNull()
    expect(decodeCursor(cursor, 'name', 'desc')).toBeNull()
    expect(decodeCursor('garbage!', 'name', 'asc')).toBeNull()
    expect(parseRosterQuery(url(`?after=${cursor}`)).cursor).toEqual({ direction: 'after', value: '王建国', id })
    expect(parseRosterQuery(url(`?before=${cursor}`)).cursor).toEqual({ direction: 'before', value: '王建国', id })
  })

  it('keeps the filters and replaces the cursor when paging', () => {
    const params = new URLSearchParams('q=王&after=abc&tier=district')
    expect(rosterSearch(params, { before: 'xyz' })).toBe('?q=%E7%8E%8B&tier=district&before=xyz')
    expect(rosterSearch(params, {})).toBe('?q=%E7%8E%8B&tier=district')
  })
})
