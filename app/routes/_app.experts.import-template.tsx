import type { LoaderFunctionArgs } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { buildTemplate } from '#app/modules/experts/import/template.server.ts'
import { expertBodyScope, isEmptyBodyScope } from '#app/modules/experts/scope.ts'

/** The import template (.xlsx), listing the regions the user's body appoints. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'expert:edit')
  if (isEmptyBodyScope(expertBodyScope(user, 'expert:edit'))) forbidden()
  return spreadsheetResponse(await buildTemplate(getDb(), user), '专家导入模板.xlsx')
}
