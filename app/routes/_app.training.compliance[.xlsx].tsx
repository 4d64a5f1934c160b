import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { translate } from '#app/lib/i18n.ts'
import { getLocale } from '#app/lib/i18n.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { complianceView } from '#app/modules/training/compliance-view.server.ts'
import { complianceWorkbook } from '#app/modules/training/export.server.ts'

/** The compliance report as shown (same parameters, same scope checks) as .xlsx; audited as an export. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const view = await complianceView(request, user)
  const locale = await getLocale(request)
  const body = await complianceWorkbook(locale, view)
  await audit(getDb(), request, actorOf(user), {
    action: 'training.compliance_exported',
    recordType: view.report ? 'organisation' : 'training_compliance',
    recordId: view.report?.org.id,
    detail: view.report
      ? { year: view.year, org: view.report.org.id, rows: view.report.mediators.length }
      : { year: view.year, rows: view.summary?.length ?? 0 },
  })
  const fileName = translate(locale, 'training.compliance.fileName', { year: view.year })
  return spreadsheetResponse(body, `${fileName}${view.report ? `-${view.report.org.name}` : ''}.xlsx`)
}
