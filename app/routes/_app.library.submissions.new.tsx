import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { newId } from '#app/lib/ids.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { similarDraftSchema, submissionSchema } from '#app/modules/library/schemas.ts'
import { similarForDraft } from '#app/modules/library/similar.server.ts'
import { authorOf, caseOfRepeatedPost, createSubmission } from '#app/modules/library/submissions.server.ts'
import { LiveSimilar, skipSimilarRevalidation } from '#app/modules/library/ui/live-similar.tsx'
import { SubmissionForm } from '#app/modules/library/ui/submission-form.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'library.submit.new')

async function requireAuthor(request: Request) {
  const user = await requirePermission(request, 'library:submit')
  const author = await authorOf(getDb(), user.userId, user.personId)
  // Only mediators on a committee's roster write cases: the committee's region decides who reviews.
  if (!author) forbidden()
  return { user, author }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { author } = await requireAuthor(request)
  return { regionCode: author.regionCode.slice(0, 6), year: new Date().getUTCFullYear(), submissionKey: newId() }
}

export const shouldRevalidate = skipSimilarRevalidation

export async function action({ request }: ActionFunctionArgs) {
  const { user, author } = await requireAuthor(request)
  const formData = await request.formData()
  const db = getDb()
  if (formData.get('intent') === 'similar') {
    // "查找相似案例" without JavaScript: the draft comes back as typed, with the suggestions; nothing saved.
    const draft = parseWithZod(formData, { schema: similarDraftSchema })
    if (draft.status !== 'success') return data({ result: draft.reply(), similar: null }, { status: 400 })
    return { result: draft.reply(), similar: await similarForDraft(db, author.personId, draft.value) }
  }
  const submission = parseWithZod(formData, { schema: submissionSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), similar: null }, { status: 400 })
  const id = await db
    .transaction()
    .execute((trx) => createSubmission(trx, { request, actor: actorOf(user) }, author, submission.value))
    .catch((error: unknown) => caseOfRepeatedPost(db, error, author.userId, submission.value.submissionKey))
  return redirectWithFlash(`/library/submissions/${id}`, {
    kind: 'success',
    message: submission.value.intent === 'submit' ? 'library.submit.submitted' : 'library.submit.saved',
  })
}

export default function NewLibrarySubmission() {
  const t = useT()
  const { regionCode, year, submissionKey } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title={t('library.submit.new')}
        crumbs={[
          { label: t('library.title'), to: '/library' },
          { label: t('library.submissions.mine'), to: '/library/submissions' },
          { label: t('library.submit.new') },
        ]}
      />
      <p className="mb-4 text-sm text-slate-600">{t('library.submit.intro')}</p>
      <div className="flex flex-col gap-6 lg:flex-row">
        <div className="min-w-0 flex-1">
          <SubmissionForm lastResult={actionData?.result} defaults={{ regionCode, year }} submissionKey={submissionKey} />
        </div>
        <aside className="lg:w-80 lg:shrink-0">
          <LiveSimilar formId="library-submission" initial={actionData?.similar ?? []} />
        </aside>
      </div>
    </>
  )
}
