import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { type FormEvent, useState } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { getAttempt } from '#app/modules/drills/attempts.server.ts'
import { Checklist } from '#app/modules/drills/checklist.tsx'
import { getDrill } from '#app/modules/drills/content.server.ts'
import { attemptRegionPath, gradeScoresFrom, saveGrade, submissionForGrading } from '#app/modules/drills/grading.server.ts'
import { type CriterionScores, criterionMax, rubricTotal } from '#app/modules/drills/model.ts'
import { gradeActionSchema } from '#app/modules/drills/schemas.ts'
import { MdxHtml } from '#app/modules/drills/mdx-html.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'drills.grading.sheetTitle')

async function loadGradable(request: Request, attemptId: string | undefined) {
  const user = await requirePermission(request, 'drill:grade')
  const db = getDb()
  const attempt = attemptId ? await getAttempt(db, attemptId) : null
  // Drafting submissions only, and never one's own.
  if (!attempt || attempt.kind !== 'drafting' || attempt.user_id === user.userId) notFound()
  // Only submissions whose author's organisation lies in the grader's scope; out of scope is a
  // 404, audited (authz.out_of_scope).
  await requireRecordAccess(request, user, 'drill:grade', {
    type: 'drill_attempt',
    id: attempt.id,
    regionPath: await attemptRegionPath(db, attempt),
  })
  const drill = await getDrill(db, attempt.drill_slug)
  if (drill?.structure.kind !== 'drafting') notFound()
  return { user, db, attempt, drill, structure: drill.structure }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, db, attempt, drill, structure } = await loadGradable(request, params.attemptId)
  const submission = await submissionForGrading(db, attempt, user.userId)
  if (attempt.status !== 'submitted' && !submission.sheet) notFound()
  return {
    title: structure.title,
    briefHtml: drill.briefHtml,
    document: structure.document,
    rubric: structure.rubric.map((c) => ({ ...c, max: criterionMax(c) })),
    commentBank: structure.commentBank,
    total: submission.sheet ? rubricTotal(structure.rubric, submission.sheet.scores) : null,
    submission,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, attempt, drill } = await loadGradable(request, params.attemptId)
  const form = await request.formData()
  const parsed = gradeActionSchema.safeParse({ intent: form.get('intent'), comment: form.get('comment') ?? undefined })
  const scores = gradeScoresFrom(form)
  if (!parsed.success) return data({ error: 'drills.error.badRequest' as MessageKey, scores }, { status: 400 })
  const result = await saveGrade(db, {
    attemptId: attempt.id,
    graderUserId: user.userId,
    drill,
    scores,
    comment: parsed.data.comment ?? '',
    intent: parsed.data.intent,
  })
  if (!result.ok) return data({ error: result.error, scores }, { status: 400 })
  await audit(db, request, actorOf(user), {
    action: `drill.grade.${parsed.data.intent}`,
    recordType: 'drill_attempt',
    recordId: attempt.id,
    detail: { percent: result.value.percent },
  })
  if (parsed.data.intent === 'save')
    return redirectWithFlash(`/drills/grading/${attempt.id}`, {
      kind: 'success',
      message: 'drills.grading.saved',
      params: { percent: result.value.percent ?? 0 },
    })
  return redirectWithFlash('/drills/grading', {
    kind: 'success',
    message: parsed.data.intent === 'return' ? 'drills.grading.returned' : 'drills.grading.finalised',
  })
}

export default function GradingSheet() {
  const t = useT()
  const { title, briefHtml, document, rubric, commentBank, total, submission } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const initial: CriterionScores = actionData?.scores ?? submission.sheet?.scores ?? {}
  const editable = submission.status === 'submitted' && submission.sheet?.status !== 'final'
  const [live, setLive] = useState<string | null>(null)
  const maxTotal = rubric.reduce((sum, c) => sum + c.max * c.weight, 0)
  const onInput = (event: FormEvent<HTMLFormElement>) => {
    const form = new FormData(event.currentTarget)
    let sum = 0
    for (const c of rubric) {
      const value = Number(form.get(`p.${c.id}`))
      if (Number.isFinite(value)) sum += Math.min(Math.max(value, 0), c.max) * c.weight
    }
    setLive(`${Math.round(sum * 10) / 10} / ${Math.round(maxTotal * 10) / 10}`)
  }
  return (
    <>
      <PageHeader
        title={`${title} ${submission.reference}`}
        crumbs={[{ label: t('drills.grading.title'), to: '/drills/grading' }, { label: submission.reference }]}
      />
      {actionData?.error ? (
        <p role="alert" className="card mb-4 border-red-300 bg-red-50 text-red-800" data-testid="grade-error">
          {t(actionData.error)}
        </p>
      ) : null}
      <details className="card mb-4">
        <summary className="cursor-pointer font-medium">{t('drills.grading.task')}</summary>
        <MdxHtml className="mt-2" html={briefHtml} />
      </details>
      <section className="card mb-4" aria-labelledby="submission">
        <h2 id="submission" className="text-lg">
          {t('drills.grading.submission', { document })}
        </h2>
        <pre className="mt-2 whitespace-pre-wrap break-words font-sans text-sm" data-testid="submission-text">
          {submission.text}
        </pre>
      </section>
      <Checklist checklist={submission.checklist} />
      <Form method="post" className="card mt-4" onInput={onInput}>
        <fieldset disabled={!editable} className="space-y-4">
          {rubric.map((c) => (
            <div key={c.id} className="border-b border-slate-200 pb-3">
              <label htmlFor={`p-${c.id}`} className="label">
                {c.name} ({t('drills.rubricPoints', { max: c.max, weight: c.weight })})
              </label>
              <p className="text-sm text-slate-600">{c.description}</p>
              <ul className="mt-1 text-xs text-slate-600">
                {c.levels.map((l) => (
                  <li key={l.name}>
                    {l.name} {l.min}–{l.max}: {l.description}
                  </li>
                ))}
              </ul>
              <input
                id={`p-${c.id}`}
                name={`p.${c.id}`}
                type="number"
                min={0}
                max={c.max}
                step={1}
                defaultValue={initial[c.id]?.points ?? ''}
                className="input mt-2 w-24"
              />
              <input
                name={`c.${c.id}`}
                defaultValue={initial[c.id]?.comment ?? ''}
                maxLength={1000}
                className="input mt-2 w-full"
                aria-label={t('drills.grading.criterionComment', { name: c.name })}
                list="comment-bank"
              />
            </div>
          ))}
          <datalist id="comment-bank">
            {commentBank.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <div>
            <label htmlFor="overall" className="label">
              {t('drills.grading.overall')}
            </label>
            <textarea
              id="overall"
              name="comment"
              rows={3}
              maxLength={4000}
              defaultValue={submission.sheet?.comment ?? ''}
              className="input w-full"
            />
          </div>
          <p className="font-medium" data-testid="live-total" aria-live="polite">
            {t('drills.grading.total')}: {live ?? (total ? `${total.total} / ${total.max} (${total.percent}%)` : '—')}
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="submit" name="intent" value="save" className="btn-secondary" disabled={busy}>
              {t('drills.grading.save')}
            </button>
            <button type="submit" name="intent" value="return" className="btn-secondary" disabled={busy}>
              {t('drills.grading.return')}
            </button>
            <button type="submit" name="intent" value="finalise" className="btn-primary" disabled={busy}>
              {t('drills.grading.finalise')}
            </button>
          </div>
        </fieldset>
      </Form>
    </>
  )
}
