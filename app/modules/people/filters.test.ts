import { describe, expect, it } from 'vitest'
import { parsePeopleFilters } from './filters.ts'

const parse = (query: string) => parsePeopleFilters(new URL(`http://x/people${query}`))

describe('parsePeopleFilters', () => {
  it('reads filters, sort and page from the URL', () => {
    expect(
      parse('?region=110105&org=01JABCDEFGHJKMNPQRSTVWXYZ0&employment=full_time&status=inactive&q=京调证&sort=age&dir=desc&page=2'),
    ).toEqual({
      region: '110105',
      org: '01JABCDEFGHJKMNPQRSTVWXYZ0',
      employment: 'full_time',
      status: 'inactive',
      q: '京调证',
      sort: 'age',
      dir: 'desc',
      page: 2,
      pageSize: 20,
    })
  })

  it('drops malformed values instead of passing them to the query', () => {
    const filters = parse('?region=abc&org=1%20or%201=1&employment=contractor&status=deleted&sort=id_number_enc')
    expect(filters).toMatchObject({ region: null, org: null, employment: null, status: null, sort: 'name' })
  })

  it('caps the search text', () => {
    expect(parse(`?q=${'张'.repeat(300)}`).q).toHaveLength(100)
  })
})
