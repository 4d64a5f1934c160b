import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { type AuthUser, requirePermission } from '#app/modules/auth/authz.server.ts'
import { expertViewScope } from '#app/modules/experts/scope.ts'
import { startExport } from '#app/modules/jobs/jobs.server.ts'

/** Staff who list the roster; an expert (own profile only) has no register to export. */
async function requireLister(request: Request): Promise<AuthUser> {
  const user = await requirePermission(request, 'expert:view')
  const view = expertViewScope(user)
  if (!view.everything && !view.subtreePaths.length) forbidden()
  return user
}

/**
 * 专家名册 (the roster export of the experts in office, status 在库 unless the URL names another)
 * runs as a background export (app/modules/jobs). An old link (GET) opens the page that starts
 * it: a GET changes nothing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireLister(request)
  const params = new URLSearchParams(new URL(request.url).search)
  params.set('kind', 'experts.register')
  return redirect(`/exports/new?${params.toString()}`)
}

/** Starts the export with the URL's filters and opens its progress page (the same job while it runs). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireLister(request)
  const job = await startExport(getDb(), user, 'experts.register', new URL(request.url), false)
  return redirect(`/exports/${job.id}`)
}
