import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { actorOf, type AuthUser, requirePermission, requireRecordAccess, requireUser } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { renderSubmissionSections } from '#app/modules/library/case-page.server.ts'
import { reviewSchema, similarDraftSchema, submissionSchema } from '#app/modules/library/schemas.ts'
import { similarForDraft, similarForSubmission } from '#app/modules/library/similar.server.ts'
import {
  getSubmission,
  reviewSubmission,
  reviewsOf,
  type Submission,
  updateSubmission,
  versionsOf,
} from '#app/modules/library/submissions.server.ts'
import { LiveSimilar, skipSimilarRevalidation } from '#app/modules/library/ui/live-similar.tsx'
import { SimilarList } from '#app/modules/library/ui/similar-list.tsx'
import { SubmissionForm } from '#app/modules/library/ui/submission-form.tsx'
import { CRITERIA } from '#app/modules/library/vocabulary.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.submission.input.title ?? '')

/** The submission and the user's relation to it: its author, or a reviewer whose scope reaches it. */
async function load(request: Request, id: string | undefined): Promise<{ user: AuthUser; submission: Submission; isAuthor: boolean }> {
  const user = await requireUser(request)
  if (!hasPermission(user, 'library:submit') && !hasPermission(user, 'library:review')) await requirePermission(request, 'library:review')
  if (!isId(id)) notFound()
  const submission = await getSubmission(getDb(), id)
  if (!submission) notFound()
  const isAuthor = hasPermission(user, 'library:submit') && !!user.personId && submission.authorPersonId === user.personId
  if (!isAuthor) {
    await requireRecordAccess(request, user, 'library:review', {
      type: 'library_submission',
      id: submission.id,
      regionPath: submission.regionPath,
    })
    // Drafts never submitted stay with their author.
    if (submission.status === 'draft' && submission.revision === 0) notFound()
  }
  return { user, submission, isAuthor }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { submission, isAuthor } = await load(request, params.submissionId)
  const db = getDb()
  const [versions, reviews, similar] = await Promise.all([
    versionsOf(db, submission.id),
    reviewsOf(db, submission.id),
    similarForSubmission(db, submission.input, submission.id),
  ])
  return {
    submission,
    isAuthor,
    canEdit: isAuthor && submission.status !== 'accepted',
    canReview: !isAuthor && submission.status === 'submitted',
    preview: renderSubmissionSections(submission.input).html,
    versions: versions.map((v) => ({ revision: v.revision, createdAt: v.createdAt, title: v.input.title })),
    reviews,
    similar,
  }
}

export const shouldRevalidate = skipSimilarRevalidation

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, submission, isAuthor } = await load(request, params.submissionId)
  const formData = await request.formData()
  const intent = formData.get('intent')
  const db = getDb()
  const ctx = { request, actor: actorOf(user) }
  const to = `/library/submissions/${submission.id}`
  if (intent === 'similar' && isAuthor) {
    // "查找相似案例" without JavaScript: the draft comes back as typed, with the suggestions; nothing saved.
    const draft = parseWithZod(formData, { schema: similarDraftSchema })
    if (draft.status !== 'success') return data({ form: 'edit' as const, result: draft.reply() }, { status: 400 })
    const similar = await similarForDraft(db, user.personId!, { ...draft.value, submissionId: submission.id })
    return { form: 'edit' as const, result: draft.reply(), similar: similar ?? [] }
  }
  if ((intent === 'save' || intent === 'submit') && isAuthor) {
    const parsed = parseWithZod(formData, { schema: submissionSchema })
    if (parsed.status !== 'success') return data({ form: 'edit' as const, result: parsed.reply() }, { status: 400 })
    if (submission.status === 'accepted')
      return data({ form: 'edit' as const, result: parsed.reply({ formErrors: ['library.submit.locked'] }) }, { status: 409 })
    const outcome = await db
      .transaction()
      .execute((trx) => updateSubmission(trx, ctx, submission.id, parsed.value.version ?? -1, parsed.value, user.userId))
    if (outcome !== 'ok')
      return data({ form: 'edit' as const, result: parsed.reply({ formErrors: ['form.staleVersion'] }) }, { status: 409 })
    return redirectWithFlash(to, { kind: 'success', message: intent === 'submit' ? 'library.submit.submitted' : 'library.submit.saved' })
  }
  if ((intent === 'accept' || intent === 'return') && !isAuthor) {
    const parsed = parseWithZod(formData, { schema: reviewSchema })
    if (parsed.status !== 'success') return data({ form: 'review' as const, result: parsed.reply() }, { status: 400 })
    const outcome = await db
      .transaction()
      .execute((trx) => reviewSubmission(trx, ctx, submission.id, { userId: user.userId, name: user.displayName }, parsed.value))
    if (outcome === 'stale')
      return data({ form: 'review' as const, result: parsed.reply({ formErrors: ['library.review.stale'] }) }, { status: 409 })
    if (outcome === 'closed')
      return data({ form: 'review' as const, result: parsed.reply({ formErrors: ['library.review.closed'] }) }, { status: 409 })
    return redirectWithFlash(intent === 'accept' ? `/library/${submission.id}` : to, {
      kind: 'success',
      message: intent === 'accept' ? 'library.review.accepted' : 'library.review.returned',
    })
  }
  return data({ form: 'none' as const, result: null }, { status: 400 })
}

function ReviewForm({ version, errors }: { version: number; errors: string[] }) {
  const t = useT()
  return (
    <Form method="post" className="card space-y-3" data-testid="review-form">
      <h2 className="text-lg font-semibold">{t('library.review.title')}</h2>
      {errors.length ? (
        <div role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-red-800">
          {errors.map((e) => (
            <p key={e}>{t.ref(e)}</p>
          ))}
        </div>
      ) : null}
      <input type="hidden" name="version" value={version} />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {CRITERIA.map((c) => (
          <div key={c}>
            <label htmlFor={`score-${c}`} className="label">
              {t(`library.criterion.${c}` as MessageKey)}
            </label>
            <select id={`score-${c}`} name={c} className="input" defaultValue="3" required>
              {[5, 4, 3, 2, 1].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <div>
        <label htmlFor="review-comments" className="label">
          {t('library.review.comments')}
          <span className="ml-1 text-red-700">*</span>
        </label>
        <textarea id="review-comments" name="comments" rows={4} maxLength={2000} className="input" required />
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="intent" value="accept" className="btn-primary">
          {t('library.review.accept')}
        </button>
        <button type="submit" name="intent" value="return" className="btn-secondary">
          {t('library.review.return')}
        </button>
      </div>
    </Form>
  )
}

export default function LibrarySubmissionPage() {
  const t = useT()
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const s = d.submission
  const reviewErrors =
    actionData?.form === 'review' && actionData.result
      ? [
          ...(actionData.result.error?.[''] ?? []),
          ...Object.entries(actionData.result.error ?? {})
            .filter(([k]) => k)
            .flatMap(([k, v]) => (v ?? []).map((m) => `${k}: ${m}`)),
        ]
      : []
  return (
    <>
      <PageHeader
        title={s.input.title}
        crumbs={[
          { label: t('library.title'), to: '/library' },
          { label: t('library.submissions.title'), to: '/library/submissions' },
          { label: s.input.title },
        ]}
        actions={
          s.status === 'accepted' ? (
            <Link to={`/library/${s.id}`} className="btn-secondary">
              {t('library.submissions.viewPublished')}
            </Link>
          ) : null
        }
      />
      <p className="mb-4 text-sm" data-testid="submission-status">
        <span className="rounded bg-slate-100 px-2 py-0.5 font-medium">{t(`library.status.${s.status}` as MessageKey)}</span>
        <span className="ml-2 text-slate-600">
          {s.authorName}
          {s.orgName ? `（${s.orgName}）` : ''}
          {s.revision ? ` · ${t('library.revision', { n: s.revision })}` : ''}
        </span>
      </p>
      <div className="flex flex-col gap-6 lg:flex-row">
        <div className="min-w-0 flex-1 space-y-4">
          {d.canReview ? <ReviewForm version={s.version} errors={reviewErrors} /> : null}
          {d.canEdit ? (
            <SubmissionForm
              lastResult={actionData?.form === 'edit' ? actionData.result : undefined}
              defaults={s.input}
              version={s.version}
              submitted={s.status === 'submitted'}
            />
          ) : null}
          <section className="card">
            <h2 className="text-lg font-semibold">{t('library.submissions.preview')}</h2>
            <p className="mt-1 text-slate-700">{s.input.summary}</p>
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: submitted Markdown sanitised on the server (allow-listed elements only) */}
            <div className="prose mt-2 break-words" data-testid="submission-preview" dangerouslySetInnerHTML={{ __html: d.preview }} />
          </section>
        </div>
        <aside className="space-y-4 lg:w-80 lg:shrink-0">
          {d.canEdit ? (
            <LiveSimilar
              formId="library-submission"
              submissionId={s.id}
              initial={actionData && 'similar' in actionData ? actionData.similar : d.similar}
            />
          ) : (
            <SimilarList items={d.similar} title={t('library.similar.title')} />
          )}
          <section className="card">
            <h2 className="text-lg font-semibold">{t('library.reviews.title')}</h2>
            {d.reviews.length ? (
              <ul className="mt-2 space-y-3 text-sm">
                {d.reviews.map((r) => (
                  <li key={r.id}>
                    <p className="font-medium">
                      {t(r.decision === 'accept' ? 'library.review.decision.accept' : 'library.review.decision.return')} ·{' '}
                      {t('library.revision', { n: r.revision })} · {r.reviewerName}
                    </p>
                    <p className="text-xs text-slate-600">
                      {CRITERIA.map((c) => `${t(`library.criterion.${c}` as MessageKey)} ${r.scores[c] ?? '-'}`).join(' · ')} ·{' '}
                      {t('library.review.total', { total: r.total })}
                    </p>
                    <p className="whitespace-pre-wrap">{r.comments}</p>
                    <p className="text-xs text-slate-500">{t.dateTime(r.createdAt)}</p>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600">{t('table.empty')}</p>
            )}
          </section>
          <section className="card">
            <h2 className="text-lg font-semibold">{t('library.versions.title')}</h2>
            {d.versions.length ? (
              <ol className="mt-2 space-y-1 text-sm">
                {d.versions.map((v) => (
                  <li key={v.revision}>
                    {t('library.revision', { n: v.revision })} · {v.title} · {t.dateTime(v.createdAt)}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="text-sm text-slate-600">{t('table.empty')}</p>
            )}
          </section>
        </aside>
      </div>
    </>
  )
}
