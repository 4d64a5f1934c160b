import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { type AuthUser, actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { formatHundredths } from '#app/modules/grading/aggregate.ts'
import { getReviewRound, roundScope } from '#app/modules/grading/panel.server.ts'
import { type ScoreInput, parseScores } from '#app/modules/grading/review-schemas.ts'
import { calibrationState, saveCalibration } from '#app/modules/grading/scoring.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingReview.calibration.title')

/** Only panel members of a round in the reviewer's scope; anyone else gets a 404. */
async function loadPanelRound(request: Request, user: AuthUser, roundId: string | undefined) {
  const db = getDb()
  const round = isId(roundId ?? '') ? await getReviewRound(db, roundId!) : null
  if (!round) notFound()
  await requireRecordAccess(request, user, 'grading:review', roundScope(round))
  const member = await db
    .selectFrom('grading_panel_members')
    .select('id')
    .where('round_id', '=', round.id)
    .where('user_id', '=', user.userId)
    .where('active', '=', 1)
    .executeTakeFirst()
  if (!member) notFound()
  return { db, round }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:review')
  const { db, round } = await loadPanelRound(request, user, params.roundId)
  const state = await calibrationState(db, round, user.userId)
  return { round: { id: round.id, title: round.title }, rubric: round.config.rubric, ...state }
}

type ActionData = { sampleKey: string; formError?: MessageKey; errors?: Record<string, MessageKey>; input?: ScoreInput }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'grading:review')
  const { db, round } = await loadPanelRound(request, user, params.roundId)
  const form = await request.formData()
  const sampleKey = String(form.get('sampleKey') ?? '')
  const parsed = parseScores(form, round.config.rubric, false)
  if (!parsed.ok)
    return data<ActionData>(
      { sampleKey, errors: parsed.errors, input: parsed.input, formError: 'gradingReview.error.fixBelow' },
      { status: 400 },
    )
  const result = await saveCalibration(db, round, user.userId, sampleKey, parsed.points, new Date().toISOString())
  if (!result.ok) return data<ActionData>({ sampleKey, formError: result.error, input: parsed.input }, { status: 409 })
  await audit(db, request, actorOf(user), {
    action: 'grading.calibration.submit',
    recordType: 'grading_round',
    recordId: round.id,
    detail: { sampleKey, deviation: result.value.deviation },
  })
  return redirectWithFlash(`/grading/rounds/${round.id}/calibration`, {
    kind: 'success',
    message: 'gradingReview.flash.calibrated',
    params: {
      total: formatHundredths(result.value.total),
      reference: formatHundredths(result.value.referenceTotal),
      deviation: formatHundredths(result.value.deviation),
    },
  })
}

export default function Calibration() {
  const t = useT()
  const { round, rubric, samples, complete } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state !== 'idle'
  return (
    <>
      <PageHeader
        title={t('gradingReview.calibration.title')}
        crumbs={[{ label: t('gradingReview.queue.title'), to: '/grading/reviews' }, { label: t('gradingReview.calibration.title') }]}
      />
      <p className="mb-2 break-words text-sm text-slate-600">{round.title}</p>
      <p className="mb-4 text-slate-700">{t('gradingReview.calibration.hint')}</p>
      {samples.length === 0 ? <p className="card mb-4">{t('gradingReview.calibration.none')}</p> : null}
      {complete && samples.length ? (
        <p className="card mb-4 border-green-300 bg-green-50" data-testid="calibration-complete">
          {t('gradingReview.calibration.done')}{' '}
          <Link to="/grading/reviews" className="font-medium">
            {t('gradingReview.calibration.toQueue')}
          </Link>
        </p>
      ) : null}
      <div className="space-y-6">
        {samples.map((s) => {
          const mineAction = actionData?.sampleKey === s.key ? actionData : undefined
          const errors = mineAction?.errors ?? {}
          return (
            <section key={s.key} className="card min-w-0" aria-labelledby={`sample-${s.key}`} data-testid={`sample-${s.key}`}>
              <h2 id={`sample-${s.key}`} className="text-lg">
                {t('gradingReview.calibration.sample', { title: s.title })}
              </h2>
              <p className="mt-2 whitespace-pre-wrap break-words text-sm">{s.summary}</p>
              {s.done ? (
                <div className="mt-3" data-testid="calibration-result">
                  <p className="font-medium">
                    {t('gradingReview.calibration.result', {
                      total: formatHundredths(s.done.total),
                      reference: formatHundredths(s.done.referenceTotal),
                      deviation: formatHundredths(s.done.deviation),
                    })}
                  </p>
                  <div className="overflow-x-auto">
                    <table className="mt-2 w-full text-sm">
                      <thead>
                        <tr>
                          <th className="text-left">{t('gradingReview.score.criterion')}</th>
                          <th className="text-right">{t('gradingReview.calibration.yours')}</th>
                          <th className="text-right">{t('gradingReview.calibration.reference')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {rubric.map((c) => (
                          <tr key={c.key}>
                            <td>{c.label}</td>
                            <td className="text-right">{s.done?.points[c.key]}</td>
                            <td className="text-right">{s.done?.reference[c.key]}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </div>
              ) : (
                <Form method="post" className="mt-3 space-y-3">
                  <input type="hidden" name="sampleKey" value={s.key} />
                  {mineAction?.formError ? (
                    <p role="alert" className="text-sm text-red-700">
                      {t(mineAction.formError)}
                    </p>
                  ) : null}
                  {rubric.map((c) => (
                    <div key={c.key} className="min-w-0">
                      <label htmlFor={`${s.key}-p-${c.key}`} className="label">
                        {c.label} · {t('gradingReview.score.points', { max: c.maxPoints, weight: c.weight })}
                      </label>
                      <input
                        id={`${s.key}-p-${c.key}`}
                        name={`p.${c.key}`}
                        type="number"
                        inputMode="numeric"
                        min={0}
                        max={c.maxPoints}
                        step={1}
                        required
                        defaultValue={mineAction?.input?.points[c.key] ?? ''}
                        aria-invalid={errors[`p.${c.key}`] ? true : undefined}
                        className="input w-24"
                      />
                      {errors[`p.${c.key}`] ? <p className="mt-1 text-sm text-red-700">{t(errors[`p.${c.key}`]!)}</p> : null}
                    </div>
                  ))}
                  <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
                    {t('gradingReview.calibration.submit')}
                  </button>
                </Form>
              )}
            </section>
          )
        })}
      </div>
    </>
  )
}
