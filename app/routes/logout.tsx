import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { actorOf, getOptionalUser } from '#app/modules/auth/authz.server.ts'
import { blankSessionCookie, endSession, readSession } from '#app/modules/auth/session.server.ts'

// Signing out is a POST (no state change on GET); a GET just goes home.
export async function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await readSession(request)
  if (!session) return redirect('/login', { headers: { 'Set-Cookie': blankSessionCookie() } })
  const user = await getOptionalUser(request)
  const setCookie = await endSession(session.token)
  await audit(getDb(), request, actorOf(user), { action: 'auth.sign_out', recordType: 'user', recordId: session.user.id })
  return redirectWithFlash('/login', { kind: 'info', message: 'flash.signedOut' }, { headers: { 'Set-Cookie': setCookie } })
}
