import type { LoaderFunctionArgs } from '@remix-run/node'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { caseStatsTemplate } from '#app/modules/grading/case-stats.server.ts'

/** The case statistics import template (.xlsx): 工作证号 (text), 姓名, 年度, 调解纠纷数, 调解成功数, 口头协议数. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'grading:case-stats')
  return spreadsheetResponse(await caseStatsTemplate(), '办案统计导入模板.xlsx')
}
