/**
 * Resource route: similar library cases for the draft being written (案例推送 while writing).
 * The submission form's script posts the whole form here, debounced, through a fetcher; without
 * JavaScript the form's "查找相似案例" button posts to the page itself instead. Nothing is saved.
 */
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { similarDraftSchema } from '#app/modules/library/schemas.ts'
import { similarForDraft } from '#app/modules/library/similar.server.ts'
import { authorOf } from '#app/modules/library/submissions.server.ts'
import type { SimilarItem } from '#app/modules/library/ui/similar-list.tsx'

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'library:submit')
  const db = getDb()
  // Only mediators on a committee's roster write cases (as on the submission pages).
  if (!(await authorOf(db, user.userId, user.personId))) forbidden()
  const parsed = parseWithZod(await request.formData(), { schema: similarDraftSchema })
  if (parsed.status !== 'success') return data({ items: [] as SimilarItem[], invalid: true }, { status: 400 })
  const items = await similarForDraft(db, user.personId!, parsed.value)
  if (!items) notFound()
  return { items, invalid: false }
}
