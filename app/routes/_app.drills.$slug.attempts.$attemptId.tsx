import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { ownAttempt } from '#app/modules/drills/access.server.ts'
import { chooseInScenario, type Outcome, quizAnswersFrom, saveDraft, saveQuiz } from '#app/modules/drills/attempts.server.ts'
import { feedbackFor } from '#app/modules/drills/grading.server.ts'
import { Checklist } from '#app/modules/drills/checklist.tsx'
import { attemptActionSchema } from '#app/modules/drills/schemas.ts'
import { type AttemptView, attemptView } from '#app/modules/drills/view.server.ts'
import { MdxHtml } from '#app/modules/drills/mdx-html.tsx'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.title ?? '')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'drill:take')
  const db = getDb()
  const { drill, attempt } = await ownAttempt(db, request, user, params.slug, params.attemptId)
  return {
    slug: drill.slug,
    title: drill.structure.title,
    attempt: attemptView(drill, attempt),
    feedback: attempt.kind === 'drafting' ? await feedbackFor(db, attempt.id) : [],
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'drill:take')
  const db = getDb()
  const { drill, attempt } = await ownAttempt(db, request, user, params.slug, params.attemptId)
  const form = await request.formData()
  const parsed = attemptActionSchema.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => !k.startsWith('a.'))))
  if (!parsed.success) return data({ error: 'drills.error.badRequest' as MessageKey }, { status: 400 })
  const { intent } = parsed.data
  let outcome: Outcome<unknown>
  if (attempt.kind === 'quiz') {
    if (intent === 'choose') return data({ error: 'drills.error.badRequest' as MessageKey }, { status: 400 })
    outcome = await saveQuiz(db, attempt, drill, quizAnswersFrom(form), intent === 'submit')
  } else if (attempt.kind === 'scenario') {
    if (intent !== 'choose' || !parsed.data.choice) return data({ error: 'drills.error.badRequest' as MessageKey }, { status: 400 })
    outcome = await chooseInScenario(db, attempt, drill, parsed.data.choice)
  } else {
    if (intent === 'choose') return data({ error: 'drills.error.badRequest' as MessageKey }, { status: 400 })
    outcome = await saveDraft(db, attempt, drill, parsed.data.text ?? '', intent === 'submit')
  }
  if (!outcome.ok) return data({ error: outcome.error }, { status: 409 })
  // Background autosave from the draft editor (JavaScript only): answer in place, no redirect.
  if (intent === 'save' && form.get('autosave') === '1') return { savedAt: new Date().toISOString() }
  const here = `/drills/${drill.slug}/attempts/${attempt.id}`
  if (intent === 'submit' || (intent === 'choose' && (outcome.value as { ended: boolean }).ended)) {
    await audit(db, request, actorOf(user), {
      action: 'drill.submit',
      recordType: 'drill_attempt',
      recordId: attempt.id,
      detail: { drill: drill.slug },
    })
    return redirectWithFlash(here, {
      kind: 'success',
      message: attempt.kind === 'drafting' ? 'drills.submittedForGrading' : 'drills.submitted',
    })
  }
  if (intent === 'choose') return redirect(here)
  return redirectWithFlash(here, { kind: 'success', message: 'drills.saved' })
}

export default function AttemptPage() {
  const t = useT()
  const { slug, title, attempt, feedback } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title={title}
        crumbs={[
          { label: t('drills.title'), to: '/drills' },
          { label: title, to: `/drills/${slug}` },
          { label: t('drills.attemptNo', { no: attempt.attemptNo }) },
        ]}
      />
      {actionData && 'error' in actionData ? (
        <p role="alert" className="card mb-4 border-red-300 bg-red-50 text-red-800" data-testid="attempt-error">
          {t(actionData.error)}
        </p>
      ) : null}
      <Status attempt={attempt} />
      {attempt.kind === 'quiz' ? <QuizForm attempt={attempt} /> : null}
      {attempt.kind === 'scenario' ? <ScenarioView attempt={attempt} /> : null}
      {attempt.kind === 'drafting' ? <DraftingForm attempt={attempt} feedback={feedback} /> : null}
      {attempt.debriefHtml ? (
        <section className="card mt-6" aria-labelledby="debrief" data-testid="debrief">
          <h2 id="debrief" className="text-lg">
            {t('drills.debrief')}
          </h2>
          <MdxHtml className="mt-2" html={attempt.debriefHtml} />
        </section>
      ) : null}
      <p className="mt-6">
        <Link to={`/drills/${slug}`}>{t('drills.back')}</Link>
      </p>
    </>
  )
}

function Status({ attempt }: { attempt: AttemptView }) {
  const t = useT()
  return (
    <section className="card mb-4 text-sm text-slate-700" data-testid="attempt-status">
      <p>
        {t(`drills.status.${attempt.expired ? 'expired' : attempt.status}` as MessageKey)}
        {attempt.revision ? ` · ${t('drills.revision', { n: attempt.revision })}` : ''}
        {attempt.deadlineAt && attempt.status === 'in_progress' ? ` · ${t('drills.deadline', { at: t.dateTime(attempt.deadlineAt) })}` : ''}
      </p>
      {attempt.score !== null ? (
        <p className="mt-1 text-base" data-testid="attempt-score">
          {t('drills.scoreLine', { score: attempt.score })} ·{' '}
          {attempt.passed ? t('drills.passed') : t('drills.notPassed', { mark: attempt.passMark })}
        </p>
      ) : null}
      <p className="mt-1">{t('drills.timeSpent', { minutes: Math.round(attempt.timeSpentSeconds / 60) })}</p>
    </section>
  )
}

const LETTERS = 'ABCDEFG'

function QuizForm({ attempt }: { attempt: Extract<AttemptView, { kind: 'quiz' }> }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const open = attempt.status === 'in_progress' && !attempt.expired
  return (
    <Form method="post">
      <ol className="space-y-4">
        {attempt.items.map((item, index) => (
          <li key={item.id} className="card" data-item={item.id}>
            <fieldset disabled={!open}>
              <legend className="font-medium">
                {index + 1}. {item.prompt}
                <span className="ml-2 text-sm text-slate-500">{t(`drills.itemType.${item.type}` as MessageKey)}</span>
              </legend>
              <div className="mt-2 space-y-2">
                {item.type === 'fill' ? (
                  <input
                    name={`a.${item.id}`}
                    defaultValue={item.given[0] ?? ''}
                    className="input w-full"
                    aria-label={t('drills.fillAnswer')}
                    maxLength={200}
                  />
                ) : item.type === 'truefalse' ? (
                  ['true', 'false'].map((v) => (
                    <label key={v} className="flex items-center gap-2">
                      <input type="radio" name={`a.${item.id}`} value={v} defaultChecked={item.given.includes(v)} />
                      {t(v === 'true' ? 'drills.true' : 'drills.false')}
                    </label>
                  ))
                ) : (
                  item.options?.map((option, i) => (
                    <label key={option} className="flex items-start gap-2">
                      <input
                        type={item.type === 'multiple' ? 'checkbox' : 'radio'}
                        name={`a.${item.id}`}
                        value={String(i)}
                        defaultChecked={item.given.includes(String(i))}
                        className="mt-1"
                      />
                      <span>
                        {LETTERS[i]}. {option}
                      </span>
                    </label>
                  ))
                )}
              </div>
            </fieldset>
            {item.review ? (
              <div className={`mt-3 rounded-md px-3 py-2 ${item.review.correct ? 'bg-emerald-50' : 'bg-red-50'}`} data-testid="explanation">
                <p className="font-medium">{item.review.correct ? t('drills.correct') : t('drills.wrong')}</p>
                <p className="text-sm">
                  {t('drills.key')}:{' '}
                  {item.type === 'fill'
                    ? item.review.key[0]
                    : item.type === 'truefalse'
                      ? t(item.review.key[0] === 'true' ? 'drills.true' : 'drills.false')
                      : item.review.key.map((k) => LETTERS[Number(k)]).join('、')}
                </p>
                <p className="mt-1 text-sm">{item.review.explanation}</p>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      {open ? (
        <div className="sticky bottom-0 mt-4 flex flex-wrap gap-2 bg-white/90 py-3">
          <button type="submit" name="intent" value="save" className="btn-secondary" disabled={busy}>
            {t('drills.save')}
          </button>
          <button type="submit" name="intent" value="submit" className="btn-primary" disabled={busy}>
            {t('drills.submit')}
          </button>
        </div>
      ) : null}
    </Form>
  )
}

function ScenarioView({ attempt }: { attempt: Extract<AttemptView, { kind: 'scenario' }> }) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const open = attempt.status === 'in_progress'
  const { current } = attempt
  return (
    <>
      <ol className="space-y-3" data-testid="scenario-history">
        {attempt.history.map((step, i) => (
          <li key={`${i}-${step.chose}`} className="card">
            <NodeText speaker={step.speaker} type={step.type} text={step.text} />
            <p className="mt-2 border-l-4 border-accent-600 pl-3 text-slate-800">
              {t('drills.youChose')}: {step.chose}
            </p>
            {step.feedback ? <p className="mt-1 text-sm text-slate-600">{step.feedback}</p> : null}
          </li>
        ))}
      </ol>
      <section className="card mt-4" data-testid="scenario-current">
        <NodeText speaker={current.speaker} type={current.type} text={current.text} />
        {open ? (
          <Form method="post" className="mt-3 space-y-2">
            <input type="hidden" name="intent" value="choose" />
            {current.choices.map((choice) => (
              <button
                key={choice.id}
                type="submit"
                name="choice"
                value={choice.id}
                className="btn-secondary block w-full text-left"
                disabled={busy}
              >
                {choice.text}
              </button>
            ))}
          </Form>
        ) : null}
      </section>
      {attempt.ending ? (
        <section className="card mt-4" data-testid="scenario-ending">
          <h2 className="text-lg">{t('drills.outcome')}</h2>
          <p className="mt-1">
            <span className="font-medium">{t(`drills.rating.${attempt.ending.rating}` as MessageKey)}</span> · {attempt.ending.outcome}
          </p>
          {attempt.ending.techniques ? (
            <ul className="mt-2 flex flex-wrap gap-2 text-sm">
              {Object.entries(attempt.ending.techniques).map(([name, value]) => (
                <li key={name} className="rounded bg-slate-100 px-2 py-1">
                  {name} {value > 0 ? `+${value}` : value}
                </li>
              ))}
            </ul>
          ) : null}
          {attempt.ending.cases.length ? (
            <p className="mt-2 text-sm">
              {t('drills.relatedCases')}:{' '}
              {attempt.ending.cases.map((c, i) => (
                <span key={c}>
                  {i ? '、' : ''}
                  <Link to={`/library/${c}`}>{c}</Link>
                </span>
              ))}
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  )
}

function NodeText({ speaker, type, text }: { speaker: string | null; type: string; text: string }) {
  const t = useT()
  return (
    <div data-node-type={type}>
      {type === 'event' ? <p className="text-sm font-medium text-amber-800">{t('drills.event')}</p> : null}
      {speaker ? <p className="text-sm font-medium text-slate-600">{speaker}</p> : null}
      <p className={type === 'speech' ? 'mt-1 italic' : 'mt-1'}>{text}</p>
    </div>
  )
}

function DraftingForm({
  attempt,
  feedback,
}: {
  attempt: Extract<AttemptView, { kind: 'drafting' }>
  feedback: { n: number; scores: Record<string, { points: number; comment: string }>; comment: string; status: string; percent: number }[]
}) {
  const t = useT()
  const busy = useNavigation().state !== 'idle'
  const open = attempt.status === 'in_progress'
  // Optional autosave: a few seconds after typing stops, the draft is saved in the background.
  // Without JavaScript the "save" button does the same.
  const autosave = useFetcher<{ savedAt?: string; error?: string }>()
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const [dirty, setDirty] = useState(false)
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [],
  )
  const onDraftInput = (text: string) => {
    setDirty(true)
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      autosave.submit({ intent: 'save', autosave: '1', text }, { method: 'post' })
      setDirty(false)
    }, 4000)
  }
  const autosaved = autosave.data?.savedAt
  return (
    <>
      {feedback.length ? (
        <section className="card mb-4" aria-labelledby="feedback" data-testid="feedback">
          <h2 id="feedback" className="text-lg">
            {t('drills.feedback')}
          </h2>
          {feedback.map((sheet) => (
            <div key={sheet.n} className="mt-3">
              <p className="font-medium">
                {t('drills.graderN', { n: sheet.n })} ·{' '}
                {t(sheet.status === 'returned' ? 'drills.returnedForRevision' : 'drills.scoreLine', { score: sheet.percent })}
              </p>
              <ul className="mt-1 space-y-1 text-sm">
                {attempt.rubric.map((c) => (
                  <li key={c.id}>
                    <strong>{c.name}</strong>: {sheet.scores[c.id]?.points ?? '—'} / {c.max}
                    {sheet.scores[c.id]?.comment ? ` — ${sheet.scores[c.id]!.comment}` : ''}
                  </li>
                ))}
              </ul>
              {sheet.comment ? <p className="mt-1 text-sm">{sheet.comment}</p> : null}
            </div>
          ))}
        </section>
      ) : null}
      <Checklist checklist={attempt.checklist} />
      <Form method="post" className="card mt-4">
        <label htmlFor="draft-text" className="label">
          {t('drills.draftLabel', { document: attempt.document })}
        </label>
        <textarea
          id="draft-text"
          name="text"
          defaultValue={attempt.text}
          rows={18}
          className="input w-full font-mono text-sm"
          readOnly={!open}
          maxLength={20000}
          onChange={(event) => onDraftInput(event.currentTarget.value)}
        />
        {open && (autosaved || dirty) ? (
          <p className="mt-1 text-sm text-slate-600" aria-live="polite" data-testid="autosave">
            {dirty || autosave.state !== 'idle' ? t('drills.autosaving') : t('drills.autosaved', { at: t.dateTime(autosaved) })}
          </p>
        ) : null}
        {open ? (
          <div className="mt-3 flex flex-wrap gap-2">
            <button type="submit" name="intent" value="save" className="btn-secondary" disabled={busy}>
              {t('drills.save')}
            </button>
            <button type="submit" name="intent" value="submit" className="btn-primary" disabled={busy}>
              {t('drills.submitDraft')}
            </button>
          </div>
        ) : null}
      </Form>
    </>
  )
}
