/** The organisation list's state in its URL: filters, sort and page. Unknown values are dropped. */
import { parseListParams, type ListParams } from '#app/lib/list-params.ts'
import type { OrgKind } from '#db/schema.ts'
import { isOrgKind, isOrgStatus, type OrgStatus } from './labels.ts'

export const ORG_SORTS = ['name', 'kind', 'region', 'status', 'updated'] as const
export type OrgSort = (typeof ORG_SORTS)[number]

export interface OrgFilters extends ListParams<OrgSort> {
  region: string | null
  kind: OrgKind | null
  status: OrgStatus | null
}

/** Region codes: 6 digits (GB/T 2260) or the 9-12 digit township and village codes. */
export const REGION_CODE = /^\d{6,12}$/

export function parseOrgFilters(url: URL): OrgFilters {
  const p = url.searchParams
  const region = p.get('region') ?? ''
  const kind = p.get('kind')
  const status = p.get('status')
  return {
    ...parseListParams(url, { sortable: ORG_SORTS, defaultSort: 'name' }),
    region: REGION_CODE.test(region) ? region : null,
    kind: isOrgKind(kind) ? kind : null,
    status: isOrgStatus(status) ? status : null,
  }
}
