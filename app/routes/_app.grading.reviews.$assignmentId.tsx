import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { type AuthUser, actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { formatHundredths } from '#app/modules/grading/aggregate.ts'
import { getReviewRound, recuse, roundScope } from '#app/modules/grading/panel.server.ts'
import { COMMENT_MAX, type ScoreInput, parseScores, recuseFormSchema } from '#app/modules/grading/review-schemas.ts'
import { blindAssignment, submitReview } from '#app/modules/grading/scoring.server.ts'
import { EvidenceView } from '#app/modules/grading/ui/evidence-view.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingReview.queue.title')

/**
 * The reviewer's own assignment, or 404 (audited) for anyone else's: a reviewer can neither see
 * nor score an application not assigned to them. The round must also lie in their grant's scope.
 */
async function loadOwn(request: Request, user: AuthUser, assignmentId: string | undefined) {
  const db = getDb()
  const assignment = await blindAssignment(db, assignmentId ?? '', user.userId)
  if (!assignment) {
    await audit(db, request, actorOf(user), {
      action: 'grading.review.not_assigned',
      recordType: 'grading_assignment',
      recordId: assignmentId,
      result: 'denied',
    })
    notFound()
  }
  const round = await getReviewRound(db, assignment.roundId)
  if (!round) notFound()
  await requireRecordAccess(request, user, 'grading:review', roundScope(round))
  return { db, assignment, round }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:review')
  const { assignment } = await loadOwn(request, user, params.assignmentId)
  return { assignment }
}

type ActionData = {
  intent: 'submit' | 'recuse'
  formError?: MessageKey
  errors?: Record<string, MessageKey>
  input?: ScoreInput
  reason?: string
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'grading:review')
  const { db, assignment, round } = await loadOwn(request, user, params.assignmentId)
  const form = await request.formData()
  const now = new Date().toISOString()
  const self = `/grading/reviews/${assignment.assignmentId}`
  if (form.get('intent') === 'recuse') {
    const parsed = recuseFormSchema.safeParse({ reason: form.get('reason') ?? '' })
    if (!parsed.success)
      return data<ActionData>(
        { intent: 'recuse', errors: { reason: parsed.error.issues[0]!.message as MessageKey }, reason: String(form.get('reason') ?? '') },
        { status: 400 },
      )
    const result = await recuse(db, round, assignment.assignmentId, user.userId, parsed.data.reason, now)
    if (!result.ok) return data<ActionData>({ intent: 'recuse', formError: result.error, reason: parsed.data.reason }, { status: 409 })
    await audit(db, request, actorOf(user), {
      action: 'grading.review.recuse',
      recordType: 'grading_assignment',
      recordId: assignment.assignmentId,
    })
    return redirectWithFlash('/grading/reviews', { kind: 'success', message: 'gradingReview.flash.recused' })
  }
  const parsed = parseScores(form, assignment.rubric, true)
  if (!parsed.ok)
    return data<ActionData>(
      { intent: 'submit', errors: parsed.errors, input: parsed.input, formError: 'gradingReview.error.fixBelow' },
      { status: 400 },
    )
  const result = await submitReview(
    db,
    { assignmentId: assignment.assignmentId, userId: user.userId, points: parsed.points, comments: parsed.comments },
    now,
  )
  if (!result.ok) {
    await audit(db, request, actorOf(user), {
      action: 'grading.review.submit',
      recordType: 'grading_assignment',
      recordId: assignment.assignmentId,
      result: 'denied',
      detail: { reason: result.error },
    })
    return data<ActionData>({ intent: 'submit', formError: result.error, input: parsed.input }, { status: 409 })
  }
  await audit(db, request, actorOf(user), {
    action: 'grading.review.submit',
    recordType: 'grading_assignment',
    recordId: assignment.assignmentId,
    detail: { total: result.value.total, settlement: result.value.settlement },
  })
  const message: MessageKey =
    result.value.settlement === 'discrepancy'
      ? 'gradingReview.flash.discrepancy'
      : result.value.settlement === 'scored'
        ? 'gradingReview.flash.scored'
        : 'gradingReview.flash.submitted'
  return redirectWithFlash(self, { kind: 'success', message, params: { total: formatHundredths(result.value.total) } })
}

export default function BlindScoring() {
  const t = useT()
  const { assignment: a } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state !== 'idle'
  const input = actionData?.intent === 'submit' ? actionData.input : undefined
  const errors = actionData?.errors ?? {}
  const canScore = a.status === 'assigned' && a.roundStatus === 'scoring' && a.calibrationComplete
  return (
    <>
      <PageHeader
        title={t('gradingReview.score.title', { code: a.blindCode })}
        crumbs={[{ label: t('gradingReview.queue.title'), to: '/grading/reviews' }, { label: a.blindCode }]}
      />
      <p className="mb-1 font-medium" data-testid="grade-applied">
        {t('gradingReview.score.grade', { grade: a.gradeName })}
      </p>
      <p className="mb-4 break-words text-sm text-slate-600">{t('gradingReview.score.round', { round: a.roundTitle })}</p>
      {actionData?.formError ? (
        <p role="alert" className="card mb-4 border-red-300 bg-red-50 text-red-800" data-testid="score-error">
          {t(actionData.formError)}
        </p>
      ) : null}
      {a.status === 'assigned' && !a.calibrationComplete ? (
        <p className="card mb-4 border-amber-300 bg-amber-50" data-testid="calibrate-first">
          {t('gradingReview.score.calibrateFirst')}{' '}
          <Link to={`/grading/rounds/${a.roundId}/calibration`} className="font-medium">
            {t('gradingReview.score.goCalibrate')}
          </Link>
        </p>
      ) : null}
      {a.status === 'assigned' && a.roundStatus !== 'scoring' ? <p className="card mb-4">{t('gradingReview.score.notScoring')}</p> : null}

      <section aria-labelledby="evidence" className="mb-6">
        <h2 id="evidence" className="mb-2 text-lg">
          {t('gradingReview.score.evidence')}
        </h2>
        {/* Evidence files open through the access-checked route, which gives assigned reviewers a neutral name. */}
        <EvidenceView evidence={a.evidence} attachmentHref={(x) => `/grading/attachments/${x.id}`} />
      </section>

      <section aria-labelledby="rubric" className="mb-6">
        <h2 id="rubric" className="mb-2 text-lg">
          {t('gradingReview.score.rubric')}
        </h2>
        {a.mine ? (
          <div className="card" data-testid="my-scores">
            <h3 className="mb-2 font-semibold">{t('gradingReview.score.mine', { total: formatHundredths(a.mine.total) })}</h3>
            <ul className="space-y-2 text-sm">
              {a.rubric.map((c) => (
                <li key={c.key} className="break-words">
                  <span className="font-medium">{c.label}</span>: {a.mine?.points[c.key]} / {c.maxPoints} — {a.mine?.comments[c.key]}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <Form method="post" className="card">
            <input type="hidden" name="intent" value="submit" />
            <fieldset disabled={!canScore} className="min-w-0 space-y-4">
              {a.rubric.map((c) => (
                <div key={c.key} className="min-w-0 border-b border-slate-200 pb-3">
                  <label htmlFor={`p-${c.key}`} className="label">
                    {c.label} · {t('gradingReview.score.points', { max: c.maxPoints, weight: c.weight })}
                  </label>
                  <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
                    {c.levels.map((l) => (
                      <li key={l.label} className="break-words">
                        {l.label} {l.min}–{l.max}
                        {l.descriptor ? `：${l.descriptor}` : ''}
                      </li>
                    ))}
                  </ul>
                  <input
                    id={`p-${c.key}`}
                    name={`p.${c.key}`}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={c.maxPoints}
                    step={1}
                    required
                    defaultValue={input?.points[c.key] ?? ''}
                    aria-invalid={errors[`p.${c.key}`] ? true : undefined}
                    aria-describedby={errors[`p.${c.key}`] ? `p-${c.key}-error` : undefined}
                    className="input mt-2 w-24"
                  />
                  {errors[`p.${c.key}`] ? (
                    <p id={`p-${c.key}-error`} className="mt-1 text-sm text-red-700">
                      {t(errors[`p.${c.key}`]!)}
                    </p>
                  ) : null}
                  <label htmlFor={`c-${c.key}`} className="sr-only">
                    {t('gradingReview.score.comment', { name: c.label })}
                  </label>
                  <textarea
                    id={`c-${c.key}`}
                    name={`c.${c.key}`}
                    rows={2}
                    required
                    maxLength={COMMENT_MAX}
                    placeholder={t('gradingReview.score.comment', { name: c.label })}
                    defaultValue={input?.comments[c.key] ?? ''}
                    aria-invalid={errors[`c.${c.key}`] ? true : undefined}
                    className="input mt-2 w-full"
                  />
                  {errors[`c.${c.key}`] ? <p className="mt-1 text-sm text-red-700">{t(errors[`c.${c.key}`]!)}</p> : null}
                </div>
              ))}
              <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
                {t('gradingReview.score.submit')}
              </button>
            </fieldset>
          </Form>
        )}
      </section>

      <section aria-labelledby="others" className="mb-6">
        <h2 id="others" className="mb-2 text-lg">
          {t('gradingReview.score.others')}
        </h2>
        {!a.mine ? (
          <p className="card text-sm text-slate-600" data-testid="others-hidden">
            {t('gradingReview.score.othersHidden')}
          </p>
        ) : a.others.length === 0 ? (
          <p className="card text-sm text-slate-600">{t('gradingReview.score.noOthers')}</p>
        ) : (
          <div className="card overflow-x-auto" data-testid="others">
            <table className="w-full text-sm">
              <thead>
                <tr>
                  <th className="text-left">{t('gradingReview.score.criterion')}</th>
                  {a.others.map((o) => (
                    <th key={o.label} className="text-right">
                      {t('gradingReview.score.reviewerLabel', { label: o.label })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {a.rubric.map((c) => (
                  <tr key={c.key}>
                    <td>{c.label}</td>
                    {a.others.map((o) => (
                      <td key={o.label} className="text-right" title={o.comments[c.key]}>
                        {o.points[c.key]}
                      </td>
                    ))}
                  </tr>
                ))}
                <tr className="font-semibold">
                  <td>{t('gradingReview.score.total')}</td>
                  {a.others.map((o) => (
                    <td key={o.label} className="text-right">
                      {formatHundredths(o.total)}
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>
        )}
      </section>

      {a.status === 'assigned' ? (
        <details className="card mb-6">
          <summary className="cursor-pointer font-medium">{t('gradingReview.score.recuse')}</summary>
          <p className="mt-2 text-sm text-slate-600">{t('gradingReview.score.recuseHint')}</p>
          <Form method="post" className="mt-2 space-y-2">
            <input type="hidden" name="intent" value="recuse" />
            <label htmlFor="recuse-reason" className="label">
              {t('gradingReview.score.recuseReason')}
            </label>
            <textarea
              id="recuse-reason"
              name="reason"
              rows={2}
              required
              maxLength={500}
              defaultValue={actionData?.intent === 'recuse' ? actionData.reason : ''}
              className="input w-full"
            />
            {actionData?.intent === 'recuse' && actionData.errors?.reason ? (
              <p className="text-sm text-red-700">{t.ref(actionData.errors.reason)}</p>
            ) : null}
            <button type="submit" className="btn-secondary" disabled={busy}>
              {t('gradingReview.score.recuseSubmit')}
            </button>
          </Form>
        </details>
      ) : null}
      <Link to="/grading/reviews">{t('gradingReview.score.back')}</Link>
    </>
  )
}
