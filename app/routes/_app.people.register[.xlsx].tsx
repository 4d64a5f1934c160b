import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { type AuthUser, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { startExport } from '#app/modules/jobs/jobs.server.ts'

/** A register is a list: users whose reach is their own record (mediators, experts) have none. */
async function requireLister(request: Request): Promise<AuthUser> {
  const user = await requirePermission(request, 'person:view')
  const scope = scopeFor(user, 'person:view')
  if (!scope.everything && !scope.regionPaths.length && !scope.orgIds.length) forbidden()
  return user
}

/**
 * 调解员名册 runs as a background export (app/modules/jobs). An old link (GET) opens the page that
 * starts it with the same filters: a GET changes nothing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireLister(request)
  const params = new URLSearchParams(new URL(request.url).search)
  params.set('kind', 'people.register')
  return redirect(`/exports/new?${params.toString()}`)
}

/**
 * Starts the export with the list's filters (the URL's query) and opens its progress page; posted
 * with `full=1`, full ID and phone numbers for holders of person:reveal (per person in its reach).
 * Posting again while it runs opens the same job.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireLister(request)
  const form = await request.formData()
  const full = form.get('full') === '1'
  // Holding the permission at all (a refusal is logged); which people it reaches is decided per row.
  if (full) await requirePermission(request, 'person:reveal')
  const job = await startExport(getDb(), user, 'people.register', new URL(request.url), full)
  return redirect(`/exports/${job.id}`)
}
