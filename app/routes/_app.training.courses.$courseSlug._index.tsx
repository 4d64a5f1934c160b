import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { renderMdx } from '#app/lib/mdx/render.server.tsx'
import { may, requirePermission } from '#app/modules/auth/authz.server.ts'
import { loadCourse } from '#app/modules/training/content.server.ts'
import { audienceLabel, kindLabel } from '#app/modules/training/labels.ts'
import { certificateForCourse, completedModules } from '#app/modules/training/progress.server.ts'
import { courseProgress } from '#app/modules/training/rules.ts'
import { ProgressBar } from '#app/modules/training/ui.tsx'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.course.title) : [])

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:view')
  const db = getDb()
  const course = await loadCourse(db, params.courseSlug ?? '')
  if (!course) notFound()
  const learner = user.personId && may(user, 'training:learn', { personId: user.personId }) ? user.personId : null
  const done = learner ? await completedModules(db, learner, course.slug) : new Set<string>()
  const progress = learner
    ? courseProgress(
        course.modules.map((m) => m.slug),
        done,
      )
    : null
  const certificateNumber = learner && progress?.done ? await certificateForCourse(db, learner, course.slug) : null
  const f = course.frontmatter
  return {
    course: {
      slug: course.slug,
      title: f.title,
      summary: f.summary,
      kind: f.kind,
      hours: f.hours,
      audience: f.audience,
      objectives: f.objectives,
      competencies: f.competencies,
    },
    html: renderMdx(course.hash, course.code),
    modules: course.modules.map((m) => ({
      slug: m.slug,
      title: m.frontmatter.title,
      minutes: m.frontmatter.estimatedMinutes,
      hasCheck: !!m.frontmatter.check,
      done: done.has(m.slug),
    })),
    progress,
    certificateNumber,
  }
}

export default function CoursePage() {
  const t = useT()
  const { course, html, modules, progress, certificateNumber } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={course.title}
        crumbs={[{ label: t('training.catalogue.title'), to: '/training' }, { label: course.title }]}
        actions={
          progress?.next ? (
            <Link to={`/training/courses/${course.slug}/${progress.next}`} className="btn-primary" data-testid="course-continue">
              {progress.completed ? t('training.course.continue') : t('training.course.start')}
            </Link>
          ) : certificateNumber ? (
            <Link to={`/training/certificates/${certificateNumber}`} className="btn-primary">
              {t('training.course.certificate')}
            </Link>
          ) : null
        }
      />
      <div className="flex flex-col gap-4 lg:flex-row">
        <div className="min-w-0 flex-1 space-y-4">
          <div className="card">
            <p className="mb-2 flex flex-wrap gap-2 text-sm">
              <span className="rounded bg-accent-50 px-2 py-0.5 text-accent-800">{t(kindLabel(course.kind))}</span>
              <span>{t('training.catalogue.hours', { hours: course.hours })}</span>
              <span className="text-slate-600">{course.audience.map((a) => t(audienceLabel(a))).join('、')}</span>
            </p>
            {/* Shipped content, compiled and rendered on the server (never user input). */}
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-rendered shipped MDX */}
            <div className="prose-tiaojie" dangerouslySetInnerHTML={{ __html: html }} />
          </div>
          <section className="card" aria-labelledby="modules-heading">
            <h2 id="modules-heading" className="mb-3 text-lg">
              {t('training.course.modules')}
            </h2>
            <ol className="divide-y divide-slate-200" data-testid="module-list">
              {modules.map((m, i) => (
                <li key={m.slug} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <Link to={`/training/courses/${course.slug}/${m.slug}`}>
                    {i + 1}. {m.title}
                  </Link>
                  <span className="text-sm text-slate-600">
                    {t('training.course.minutes', { minutes: m.minutes })}
                    {m.hasCheck ? ` · ${t('training.module.hasCheck')}` : ''}
                    {progress ? (
                      <span
                        className={`ml-2 font-medium ${m.done ? 'text-emerald-700' : 'text-slate-500'}`}
                        data-testid={`module-status-${m.slug}`}
                      >
                        {m.done ? t('training.module.done') : t('training.module.notDone')}
                      </span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        </div>
        <aside className="space-y-4 lg:w-72">
          {progress ? (
            <div className="card">
              <h2 className="mb-2 text-base">{t('training.course.progress')}</h2>
              <ProgressBar
                percent={progress.percent}
                label={t('training.course.progressValue', { done: progress.completed, total: progress.total })}
              />
              {progress.done ? <p className="mt-2 font-medium text-emerald-700">{t('training.course.completed')}</p> : null}
            </div>
          ) : null}
          <div className="card">
            <h2 className="mb-2 text-base">{t('training.course.objectives')}</h2>
            <ul className="list-disc space-y-1 pl-5">
              {course.objectives.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
            <h2 className="mb-2 mt-4 text-base">{t('training.course.competencies')}</h2>
            <p>{course.competencies.join('、')}</p>
          </div>
        </aside>
      </div>
    </>
  )
}
