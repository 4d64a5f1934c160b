/** Route-side helpers: load a drill or an attempt with the authorization checks they need. */
import type { Executor } from '#app/lib/db.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { type AuthUser, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { type Attempt, getAttempt } from './attempts.server.ts'
import { type Drill, getDrill } from './content.server.ts'

export async function drillOr404(db: Executor, slug: string | undefined): Promise<Drill> {
  const drill = slug ? await getDrill(db, slug) : null
  if (!drill) notFound()
  return drill
}

/** The signed-in person's own attempt at this drill; anyone else's answers 404 (logged). */
export async function ownAttempt(
  db: Executor,
  request: Request,
  user: AuthUser,
  slug: string | undefined,
  attemptId: string | undefined,
): Promise<{ drill: Drill; attempt: Attempt }> {
  if (!user.personId) forbidden()
  const attempt = attemptId ? await getAttempt(db, attemptId) : null
  if (!attempt || attempt.drill_slug !== slug) notFound()
  await requireRecordAccess(request, user, 'drill:take', { type: 'drill_attempt', id: attempt.id, personId: attempt.person_id })
  return { drill: await drillOr404(db, slug), attempt }
}
