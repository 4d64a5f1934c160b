/** The mediator list's state in its URL: filters, sort and page. Unknown values are dropped. */
import { isId } from '#app/lib/ids.ts'
import { parseListParams, type ListParams } from '#app/lib/list-params.ts'
import { REGION_CODE } from '#app/modules/orgs/filters.ts'
import { isEmployment, isMediatorStatus, type Employment, type MediatorStatus } from './labels.ts'

export const PEOPLE_SORTS = ['name', 'age', 'org', 'region', 'employment', 'card'] as const
export type PeopleSort = (typeof PEOPLE_SORTS)[number]

export interface PeopleFilters extends ListParams<PeopleSort> {
  region: string | null
  org: string | null
  employment: Employment | null
  status: MediatorStatus | null
}

export function parsePeopleFilters(url: URL): PeopleFilters {
  const p = url.searchParams
  const region = p.get('region') ?? ''
  const org = p.get('org')
  const employment = p.get('employment')
  const status = p.get('status')
  return {
    ...parseListParams(url, { sortable: PEOPLE_SORTS, defaultSort: 'name' }),
    region: REGION_CODE.test(region) ? region : null,
    org: isId(org) ? org : null,
    employment: isEmployment(employment) ? employment : null,
    status: isMediatorStatus(status) ? status : null,
  }
}
