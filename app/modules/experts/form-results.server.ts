/** Turning a write's outcome into what an expert form re-renders with (status 400). */
import type { Submission } from '@conform-to/react'
import { data } from '@remix-run/node'
import type { Executor } from '#app/lib/db.server.ts'
import type { AuthUser } from '#app/modules/auth/authz.server.ts'
import { findExpertLocation } from './access.server.ts'
import type { Failure } from './outcome.ts'
import { mayViewExpert } from './scope.ts'
import type { ExpertFormResult } from './ui/expert-form.tsx'

/** The duplicate, named and linked only when the user may see it. */
async function visibleDuplicate(db: Executor, user: AuthUser, id: string | undefined): Promise<{ id: string; name: string } | null> {
  if (!id) return null
  const location = await findExpertLocation(db, id)
  if (!location || !mayViewExpert(user, location)) return null
  const row = await db.selectFrom('experts').select('name').where('person_id', '=', id).executeTakeFirst()
  return row ? { id, name: row.name } : null
}

export async function failedForm(db: Executor, user: AuthUser, submission: Submission<unknown>, failure: Failure) {
  return data<ExpertFormResult>(
    {
      result: submission.reply({ fieldErrors: failure.fieldErrors, formErrors: failure.formErrors }),
      duplicateOf: await visibleDuplicate(db, user, failure.duplicateOf),
      ageWarning: !!failure.ageWarning,
    },
    { status: failure.stale ? 409 : 400 },
  )
}

export function invalidForm(submission: Submission<unknown>) {
  return data<ExpertFormResult>({ result: submission.reply() }, { status: 400 })
}
