/**
 * 疑难复杂纠纷台账 (the case list) as a background export: the list's status filter and search,
 * newest first, read in keyset pages of the list itself (pageCases), in the owner's case:view
 * scope. The file is the one the list's export built in the request: title rows, 序号, the same
 * columns, case numbers and dates as text; audited as `cases.export` at download.
 */
import type { KeysetCursor } from '#app/lib/keyset.ts'
import { todayInChina } from '#app/lib/time.ts'
import { exportHeading } from '#app/lib/xlsx/write.server.ts'
import { scopeFor } from '#app/modules/auth/authz.server.ts'
import { hasPermission, isEmptyScope } from '#app/modules/auth/policy.ts'
import { countCases, pageCases } from '#app/modules/cases/cases.server.ts'
import { caseListFilter, parseCaseListQuery } from '#app/modules/cases/list-filter.ts'
import { LIST_EXPORT_MAX, exporterName, filterText } from '#app/modules/stats/lists.server.ts'
import type { CasesListParams } from '../kinds.ts'
import { type ExportKind, searchOf, zh } from './shared.server.ts'

export const casesList: ExportKind<'cases.list'> = {
  kind: 'cases.list',
  listPath: '/cases',
  startPath: '/cases.xlsx',
  audit: { action: 'cases.export', recordType: 'case' },
  revealPermission: null,
  paramsFromUrl(url) {
    const query = parseCaseListQuery(url)
    return { status: query.status, q: query.q, full: false }
  },
  allowed(user) {
    return hasPermission(user, 'case:view') && !isEmptyScope(scopeFor(user, 'case:view'))
  },
  async prepare(db, user, params: CasesListParams) {
    const filter = caseListFilter(parseCaseListQuery(searchOf(params)))
    const scope = scopeFor(user, 'case:view')
    const total = Math.min(await countCases(db, scope, filter), LIST_EXPORT_MAX)
    const status = filter.status === 'open' ? '办理中' : filter.status ? zh(`cases.status.${filter.status}`) : '全部'
    const description = await filterText(db, [
      ['状态', status],
      ['搜索', filter.q],
    ])
    let count = 0
    return {
      sheet: {
        name: '疑难复杂纠纷',
        title: exportHeading({ title: '疑难复杂纠纷案件台账', filter: description, user: exporterName(user) }),
        serial: true,
        columns: [
          { header: '案件编号', width: 22, text: true },
          { header: '案件名称', width: 30 },
          { header: '纠纷类型', width: 12 },
          { header: '难度', width: 8 },
          { header: '状态', width: 10 },
          { header: '所在地区', width: 10 },
          { header: '调委会', width: 28 },
          { header: '需专家数', width: 8 },
          { header: '已到位专家', width: 8 },
          { header: '登记日期', width: 12, text: true },
          { header: '办理期限', width: 12, text: true },
        ],
      },
      fileName: `疑难复杂纠纷台账-${todayInChina()}.xlsx`,
      total: () => total,
      async *batches(batchSize) {
        // The list's own pages (newest first, keyset on registered_at and id), a batch at a time.
        const search = new URLSearchParams()
        let cursor: KeysetCursor | null = null
        while (count < total) {
          const pageSize = Math.min(batchSize, total - count)
          const { cases } = await pageCases(db, scope, filter, { pageSize, cursor, search })
          if (!cases.length) return
          const last = cases[cases.length - 1]!
          cursor = { direction: 'after', at: last.registered_at, id: last.id }
          count += cases.length
          yield cases.map((c) => [
            c.case_number,
            c.title,
            c.dispute_type_code,
            zh(`cases.difficulty.${c.difficulty}`),
            zh(`cases.status.${c.status}`),
            c.region_name,
            c.org_name,
            c.experts_needed,
            c.experts_assigned,
            c.registered_at.slice(0, 10),
            c.due ?? '',
          ])
          if (cases.length < pageSize) return
        }
      },
      // As the export in the request audited it: the list's filter (null: every status) and the count.
      detail: () => ({ filter, count }),
    }
  },
}
