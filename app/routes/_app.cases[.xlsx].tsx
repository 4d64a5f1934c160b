import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { startExport } from '#app/modules/jobs/jobs.server.ts'

/**
 * 疑难复杂纠纷台账 (the case list, same status filter and search as /cases, every page) runs as a
 * background export (app/modules/jobs/exports/cases.server.ts). An old link (GET) opens the page
 * that starts it with the same filters: a GET changes nothing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'case:view')
  const params = new URLSearchParams(new URL(request.url).search)
  params.set('kind', 'cases.list')
  return redirect(`/exports/new?${params.toString()}`)
}

/** Starts the export with the list's filters (the URL's query) and opens its progress page (the same job while it runs). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'case:view')
  const job = await startExport(getDb(), user, 'cases.list', new URL(request.url), false)
  return redirect(`/exports/${job.id}`)
}
