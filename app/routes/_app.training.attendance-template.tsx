import type { LoaderFunctionArgs } from '@remix-run/node'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { attendanceTemplate } from '#app/modules/training/attendance-import.server.ts'

/** The attendance import template (.xlsx): 工作证号 (text), 姓名, 考核结果. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'training:manage')
  return spreadsheetResponse(await attendanceTemplate(), '参训人员导入模板.xlsx')
}
