import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { getLocale } from '#app/lib/i18n.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { startExport } from '#app/modules/jobs/jobs.server.ts'

/**
 * 审计日志 runs as a background export (app/modules/jobs/exports/audit.server.ts). An old link
 * (GET) opens the page that starts it with the same filters: a GET changes nothing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'audit:view')
  const params = new URLSearchParams(new URL(request.url).search)
  params.set('kind', 'audit.log')
  return redirect(`/exports/new?${params.toString()}`)
}

/**
 * Starts the export of the log as filtered on /audit (the URL's query) and opens its progress
 * page; the file is written in the request's language. Posting again while it runs opens the
 * same job.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'audit:view')
  const url = new URL(request.url)
  url.searchParams.set('locale', await getLocale(request))
  const job = await startExport(getDb(), user, 'audit.log', url, false)
  return redirect(`/exports/${job.id}`)
}
