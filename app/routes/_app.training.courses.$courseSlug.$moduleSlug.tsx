import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { renderMdx } from '#app/lib/mdx/render.server.tsx'
import { actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { may } from '#app/modules/auth/authz.server.ts'
import { loadCourse } from '#app/modules/training/content.server.ts'
import { getDrill } from '#app/modules/drills/content.server.ts'
import { completeModule, minimumSecondsFor, passedQuizSince, recordModuleServed } from '#app/modules/training/progress.server.ts'
import { parseAnswers } from '#app/modules/training/schemas.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.module.title) : [])

async function find(courseSlug: string | undefined, moduleSlug: string | undefined) {
  const course = await loadCourse(getDb(), courseSlug ?? '')
  const index = course?.modules.findIndex((m) => m.slug === moduleSlug) ?? -1
  if (!course || index < 0) notFound()
  return { course, module: course.modules[index]!, next: course.modules[index + 1] ?? null }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:view')
  const { course, module, next } = await find(params.courseSlug, params.moduleSlug)
  const db = getDb()
  const learner = !!user.personId && may(user, 'training:learn', { personId: user.personId })
  // The reading clock starts when the server first serves the module to this mediator.
  const state = learner ? await recordModuleServed(db, user.personId!, course.slug, module.slug) : null
  const check = module.frontmatter.check
  const completed = !!state?.completedAt
  const quizSlug = module.frontmatter.quizCheck
  const drill = quizSlug ? await getDrill(db, quizSlug) : null
  const quizPassed = quizSlug && state?.startedAt ? await passedQuizSince(db, user.personId!, quizSlug, state.startedAt) : null
  return {
    quiz: drill ? { slug: drill.slug, title: drill.structure.title, passed: quizPassed } : null,
    course: { slug: course.slug, title: course.frontmatter.title },
    module: {
      slug: module.slug,
      title: module.frontmatter.title,
      objectives: module.frontmatter.objectives,
      minutes: module.frontmatter.estimatedMinutes,
    },
    html: renderMdx(module.hash, module.code),
    toc: module.headings,
    next: next ? { slug: next.slug, title: next.frontmatter.title } : null,
    learner,
    completedAt: state?.completedAt ?? null,
    minimumMinutes: Math.ceil((await minimumSecondsFor(db, module)) / 60),
    // The answer key stays on the server until the module is completed.
    check: check
      ? {
          passCount: Math.ceil(check.passRatio * check.questions.length - 1e-9),
          questions: check.questions.map((q) => ({
            id: q.id,
            prompt: q.prompt,
            options: q.options,
            ...(completed ? { answer: q.answer, explanation: q.explanation } : {}),
          })),
        }
      : null,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'training:learn')
  const personId = user.personId
  if (!personId) notFound()
  await requireRecordAccess(request, user, 'training:learn', { type: 'training_progress', id: personId, personId })
  const { course, module } = await find(params.courseSlug, params.moduleSlug)
  const answers = parseAnswers(module.frontmatter.check, await request.formData())
  const db = getDb()
  const outcome = await db.transaction().execute((trx) => completeModule(trx, personId, course, module, answers, user.userId))
  if (!outcome.ok) {
    // Tell which answers were wrong, never which option is right.
    const marks = outcome.check ? Object.fromEntries(outcome.check.questions.map((q) => [q.id, q.correct])) : null
    return data(
      {
        refused: outcome.reason,
        secondsLeft: outcome.secondsLeft ?? 0,
        marks,
        answers,
        score: outcome.check ? { correct: outcome.check.correct, total: outcome.check.total } : null,
      },
      { status: 400 },
    )
  }
  if (!outcome.alreadyCompleted) {
    await audit(db, request, actorOf(user), {
      action: outcome.courseCompleted ? 'training.course_completed' : 'training.module_completed',
      recordType: 'training_course',
      recordId: course.slug,
      detail: { module: module.slug, score: outcome.check?.score ?? null, certificate: outcome.certificateNumber },
    })
  }
  const here = `/training/courses/${course.slug}/${module.slug}`
  if (outcome.courseCompleted && outcome.certificateNumber) {
    return redirectWithFlash(here, {
      kind: 'success',
      message: 'training.flash.courseCompleted',
      params: { number: outcome.certificateNumber },
    })
  }
  return redirectWithFlash(here, { kind: 'success', message: 'training.flash.moduleCompleted' })
}

export default function ModuleReader() {
  const t = useT()
  const { course, module, html, toc, next, learner, completedAt, minimumMinutes, check, quiz } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const refusal = result && 'refused' in result ? result : null
  return (
    <>
      <PageHeader
        title={module.title}
        crumbs={[
          { label: t('training.catalogue.title'), to: '/training' },
          { label: course.title, to: `/training/courses/${course.slug}` },
          { label: module.title },
        ]}
      />
      <div className="flex flex-col gap-4 lg:flex-row-reverse">
        {toc.length ? (
          <nav aria-label={t('training.reader.toc')} className="card lg:sticky lg:top-4 lg:w-64 lg:self-start">
            <h2 className="mb-2 text-base">{t('training.reader.toc')}</h2>
            <ol className="space-y-1 text-sm" data-testid="toc">
              {toc.map((h) => (
                <li key={h.id} className={h.depth === 3 ? 'pl-4' : ''}>
                  <a href={`#${h.id}`}>{h.text}</a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <article className="card min-w-0 flex-1">
          <section className="mb-4 rounded-md bg-slate-50 px-4 py-3">
            <h2 className="text-base">{t('training.reader.objectives')}</h2>
            <ul className="list-disc pl-5">
              {module.objectives.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          </section>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: shipped MDX rendered on the server, never user input */}
          <div className="prose-tiaojie" data-testid="module-body" dangerouslySetInnerHTML={{ __html: html }} />
        </article>
      </div>

      <section className="card mt-4" aria-labelledby="check-heading" data-testid="completion">
        {check ? (
          <>
            <h2 id="check-heading" className="text-lg">
              {t('training.reader.check')}
            </h2>
            <p className="mb-3 text-sm text-slate-600">
              {t('training.reader.checkIntro', { count: check.questions.length, pass: check.passCount })}
            </p>
          </>
        ) : quiz ? (
          <>
            <h2 id="check-heading" className="text-lg">
              {t('training.reader.check')}
            </h2>
            <p className="mb-2 text-sm text-slate-600">{t('training.module.checkQuiz', { title: quiz.title })}</p>
            <p className="mb-3" data-testid="quiz-check">
              {quiz.passed ? (
                <span className="text-emerald-700">
                  {t('training.module.checkQuizPassed', { date: t.dateTime(quiz.passed.submittedAt), score: quiz.passed.score ?? 0 })}
                </span>
              ) : (
                <>
                  <span className="mr-3 text-slate-700">{t('training.module.checkQuizNotPassed')}</span>
                  {learner && !completedAt ? (
                    <Link to={`/drills/${quiz.slug}`} className="btn-secondary" data-testid="quiz-link">
                      {t('training.module.checkQuizOpen')}
                    </Link>
                  ) : null}
                </>
              )}
            </p>
          </>
        ) : (
          <h2 id="check-heading" className="sr-only">
            {t('training.reader.completeNoCheck')}
          </h2>
        )}
        {completedAt ? (
          <>
            <p className="mb-3 font-medium text-emerald-700" data-testid="completed-at">
              {t('training.reader.completedAt', { at: t.dateTime(completedAt) })}
            </p>
            {check ? (
              <ol className="space-y-3">
                {check.questions.map((q, i) => (
                  <li key={q.id}>
                    <p className="font-medium">
                      {i + 1}. {q.prompt}
                    </p>
                    <p>
                      {t('training.reader.correctAnswer')}：{q.answer !== undefined ? q.options[q.answer] : ''}
                    </p>
                    <p className="text-sm text-slate-700">{q.explanation}</p>
                  </li>
                ))}
              </ol>
            ) : null}
          </>
        ) : learner ? (
          <Form method="post" key={refusal ? JSON.stringify(refusal.answers) : 'fresh'}>
            {check ? (
              <ol className="space-y-4">
                {check.questions.map((q, i) => (
                  <li key={q.id}>
                    <fieldset>
                      <legend className="font-medium">
                        {i + 1}. {q.prompt}
                        {refusal?.marks && q.id in refusal.marks ? (
                          <span className={`ml-2 text-sm ${refusal.marks[q.id] ? 'text-emerald-700' : 'text-red-700'}`}>
                            {refusal.marks[q.id] ? t('training.reader.correct') : t('training.reader.wrong')}
                          </span>
                        ) : null}
                      </legend>
                      <div className="mt-1 space-y-1">
                        {q.options.map((option, index) => (
                          <label key={option} className="flex items-start gap-2 py-1">
                            <input
                              type="radio"
                              name={`answer.${q.id}`}
                              value={index}
                              defaultChecked={refusal?.answers[q.id] === index}
                              className="mt-1.5 h-4 w-4"
                            />
                            <span>{option}</span>
                          </label>
                        ))}
                      </div>
                    </fieldset>
                  </li>
                ))}
              </ol>
            ) : null}
            <p className="mt-3 text-sm text-slate-600">{t('training.reader.minimum', { minutes: minimumMinutes })}</p>
            {refusal ? (
              <p className="mt-2 font-medium text-red-700" role="alert" data-testid="refusal">
                {t(`training.refused.${refusal.refused}`, { seconds: refusal.secondsLeft })}
                {refusal.score ? ` ${t('training.reader.score', { correct: refusal.score.correct, total: refusal.score.total })}` : ''}
              </p>
            ) : null}
            <button type="submit" name="intent" value="complete" className="btn-primary mt-3" disabled={navigation.state === 'submitting'}>
              {check ? t('training.reader.complete') : t('training.reader.completeNoCheck')}
            </button>
          </Form>
        ) : (
          <p className="text-slate-700">{t('training.reader.staffOnly')}</p>
        )}
        <div className="mt-4 flex flex-wrap gap-3">
          <Link to={`/training/courses/${course.slug}`} className="btn-secondary">
            {t('training.reader.backToCourse')}
          </Link>
          {next ? (
            <Link to={`/training/courses/${course.slug}/${next.slug}`} className="btn-secondary" data-testid="next-module">
              {t('training.reader.next', { title: next.title })}
            </Link>
          ) : null}
        </div>
      </section>
    </>
  )
}
