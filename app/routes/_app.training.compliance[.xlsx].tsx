import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { getLocale } from '#app/lib/i18n.server.ts'
import { isId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { type AuthUser, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { startExport } from '#app/modules/jobs/jobs.server.ts'
import { parseComplianceQuery } from '#app/modules/training/compliance-view.server.ts'
import { orgScope } from '#app/modules/training/compliance.server.ts'

/**
 * The export's URL with what the job's scope check needs from the database: the named
 * organisation's region path (404 for an unknown one, 404 and logged out of reach, as the page
 * answers). Whatever the request said in its place is replaced.
 */
async function exportUrl(request: Request, user: AuthUser): Promise<URL> {
  const url = new URL(request.url)
  url.searchParams.delete('orgPath')
  const { org: orgId } = parseComplianceQuery(url, todayInChina())
  if (orgId) {
    if (!isId(orgId)) notFound()
    const org = await orgScope(getDb(), orgId)
    if (!org) notFound()
    await requireRecordAccess(request, user, 'training:manage', {
      type: 'organisation',
      id: org.id,
      regionPath: org.regionPath,
      orgId: org.id,
    })
    url.searchParams.set('orgPath', org.regionPath)
  }
  return url
}

/**
 * 培训达标情况 runs as a background export (app/modules/jobs/exports/compliance.server.ts). An
 * old link (GET) opens the page that starts it with the same year and organisation.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const params = new URLSearchParams((await exportUrl(request, user)).search)
  params.set('kind', 'training.compliance')
  return redirect(`/exports/new?${params.toString()}`)
}

/** Starts the export of the report as the page shows it and opens its progress page. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const url = await exportUrl(request, user)
  url.searchParams.set('locale', await getLocale(request))
  const job = await startExport(getDb(), user, 'training.compliance', url, false)
  return redirect(`/exports/${job.id}`)
}
