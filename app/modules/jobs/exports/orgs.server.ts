/**
 * 组织机构名录 (the organisation list) as a background export: the list's filters and sort, read
 * in keyset batches on the sort column and id, in the owner's org:view scope. The file is the one
 * the list's export built in the request: title rows, 序号, the same columns, region codes as
 * text; audited as `orgs.export` at download.
 */
import { keysetBeyond } from '#app/lib/keyset.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { exportHeading } from '#app/lib/xlsx/write.server.ts'
import { scopeFor } from '#app/modules/auth/authz.server.ts'
import { hasPermission, isEmptyScope } from '#app/modules/auth/policy.ts'
import { parseOrgFilters } from '#app/modules/orgs/filters.ts'
import { ORG_SORT_COLUMN, orgListBase } from '#app/modules/orgs/orgs.server.ts'
import { LIST_EXPORT_MAX, exporterName, filterText } from '#app/modules/stats/lists.server.ts'
import type { OrgsListParams } from '../kinds.ts'
import { type ExportKind, narrowing, searchOf, zh } from './shared.server.ts'

export const orgsList: ExportKind<'orgs.list'> = {
  kind: 'orgs.list',
  listPath: '/orgs',
  startPath: '/orgs.xlsx',
  audit: { action: 'orgs.export', recordType: 'organisation' },
  revealPermission: null,
  paramsFromUrl(url) {
    const f = parseOrgFilters(url)
    return { region: f.region, kind: f.kind, status: f.status, q: f.q, sort: f.sort, dir: f.dir, full: false }
  },
  allowed(user) {
    return hasPermission(user, 'org:view') && !isEmptyScope(scopeFor(user, 'org:view'))
  },
  async prepare(db, user, params: OrgsListParams) {
    const filters = parseOrgFilters(searchOf(params))
    const base = await orgListBase(db, scopeFor(user, 'org:view'), filters)
    const counted = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    const total = Math.min(counted, LIST_EXPORT_MAX)
    const column = ORG_SORT_COLUMN[filters.sort]
    const dir = filters.dir
    const description = await filterText(db, [
      ['地区', filters.region, 'region'],
      ['类型', filters.kind ? zh(`orgs.kind.${filters.kind}`) : null],
      ['状态', filters.status ? zh(`orgs.status.${filters.status}`) : null],
      ['搜索', filters.q],
    ])
    let count = 0
    return {
      sheet: {
        name: '组织机构',
        title: exportHeading({ title: '组织机构名录', filter: description, user: exporterName(user) }),
        serial: true,
        columns: [
          { header: '名称', width: 36 },
          { header: '类型', width: 24 },
          { header: '所在地区', width: 12 },
          { header: '地区代码', width: 12, text: true },
          { header: '状态', width: 8 },
        ],
      },
      fileName: `组织机构-${todayInChina()}.xlsx`,
      total: () => total,
      async *batches(batchSize) {
        const readBatch = (after: { at: string; id: string } | null, limit: number) =>
          base
            .select(['o.id', 'o.name', 'o.kind', 'o.region_code', 'r.name as region_name', 'o.status', `${column} as sort_key`])
            .$if(after !== null, (q) => q.where(keysetBeyond(column, 'o.id', after!, dir)))
            .orderBy(column, dir)
            .orderBy('o.id', dir)
            .limit(limit)
            .execute()
        let cursor: { at: string; id: string } | null = null
        while (count < total) {
          const limit = Math.min(batchSize, total - count)
          const rows = await readBatch(cursor, limit)
          if (!rows.length) return
          const last = rows[rows.length - 1]!
          cursor = { at: String(last.sort_key), id: last.id }
          count += rows.length
          yield rows.map((o) => [o.name, zh(`orgs.kind.${o.kind}`), o.region_name, o.region_code, zh(`orgs.status.${o.status}`)])
          if (rows.length < limit) return
        }
      },
      detail: () => ({ filter: narrowing(params), count }),
    }
  },
}
