import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { startExport } from '#app/modules/jobs/jobs.server.ts'

/**
 * 组织机构名录 (the organisation list, same filters, sort and scope as /orgs, every page) runs as a
 * background export (app/modules/jobs/exports/orgs.server.ts). An old link (GET) opens the page
 * that starts it with the same filters: a GET changes nothing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'org:view')
  const params = new URLSearchParams(new URL(request.url).search)
  params.set('kind', 'orgs.list')
  return redirect(`/exports/new?${params.toString()}`)
}

/** Starts the export with the list's filters (the URL's query) and opens its progress page (the same job while it runs). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'org:view')
  const job = await startExport(getDb(), user, 'orgs.list', new URL(request.url), false)
  return redirect(`/exports/${job.id}`)
}
