import { describe, expect, it } from 'vitest'
import { parseOrgFilters } from './filters.ts'

const parse = (query: string) => parseOrgFilters(new URL(`http://x/orgs${query}`))

describe('parseOrgFilters', () => {
  it('reads filters, sort and page from the URL', () => {
    expect(parse('?region=110108&kind=committee_sector&status=dissolved&q=%20医疗%20&sort=region&dir=desc&page=3&size=50')).toEqual({
      region: '110108',
      kind: 'committee_sector',
      status: 'dissolved',
      q: '医疗',
      sort: 'region',
      dir: 'desc',
      page: 3,
      pageSize: 50,
    })
  })

  it('drops values that are not what they claim to be', () => {
    expect(parse("?region=110108'--&kind=admin&status=gone&sort=password&dir=sideways&page=-4&size=1000000")).toEqual({
      region: null,
      kind: null,
      status: null,
      q: '',
      sort: 'name',
      dir: 'asc',
      page: 1,
      pageSize: 20,
    })
  })

  it('accepts township codes', () => {
    expect(parse('?region=110108011').region).toBe('110108011')
    expect(parse('?region=1101').region).toBeNull()
  })
})
