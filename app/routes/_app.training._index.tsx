import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FilterBar, FilterField } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { may, requirePermission } from '#app/modules/auth/authz.server.ts'
import { catalogueFor } from '#app/modules/training/catalogue.server.ts'
import { AUDIENCES, audienceLabel, KINDS, kindLabel } from '#app/modules/training/labels.ts'
import { ProgressBar } from '#app/modules/training/ui.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.catalogue.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:view')
  const url = new URL(request.url)
  const kind = KINDS.find((k) => k === url.searchParams.get('kind')) ?? null
  const audience = AUDIENCES.find((a) => a === url.searchParams.get('audience')) ?? null
  const learner = user.personId && may(user, 'training:learn', { personId: user.personId }) ? user.personId : null
  const { entries, resume, hoursThisYear } = await catalogueFor(getDb(), learner, { kind, audience })
  return { entries, resume, hoursThisYear, filters: { kind, audience } }
}

export default function TrainingCatalogue() {
  const t = useT()
  const { entries, resume, hoursThisYear, filters } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('training.catalogue.title')} crumbs={[{ label: t('training.catalogue.title') }]} />
      <p className="mb-4 text-slate-700">{t('training.catalogue.intro')}</p>
      {resume || hoursThisYear ? (
        <div className="card mb-4 space-y-2">
          {resume ? (
            <p>
              <Link to={`/training/courses/${resume.courseSlug}/${resume.moduleSlug}`} className="font-medium" data-testid="resume-link">
                {t('training.catalogue.continue', { course: resume.courseTitle, module: resume.moduleTitle })}
              </Link>
            </p>
          ) : null}
          {hoursThisYear ? (
            <p data-testid="hours-this-year">
              {t('training.catalogue.hoursThisYear', { year: hoursThisYear.year, hours: hoursThisYear.hours })}
            </p>
          ) : null}
        </div>
      ) : null}
      <FilterBar>
        <FilterField label={t('training.catalogue.kind')} htmlFor="kind">
          <select id="kind" name="kind" defaultValue={filters.kind ?? ''} className="input">
            <option value="">{t('training.catalogue.all')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(kindLabel(k))}
              </option>
            ))}
          </select>
        </FilterField>
        <FilterField label={t('training.catalogue.audience')} htmlFor="audience">
          <select id="audience" name="audience" defaultValue={filters.audience ?? ''} className="input">
            <option value="">{t('training.catalogue.all')}</option>
            {AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {t(audienceLabel(a))}
              </option>
            ))}
          </select>
        </FilterField>
      </FilterBar>
      {entries.length === 0 ? <p className="card">{t('training.catalogue.empty')}</p> : null}
      <ul className="grid gap-4 md:grid-cols-2" data-testid="course-list">
        {entries.map((c) => (
          <li key={c.slug} className="card flex flex-col gap-2">
            <div className="flex flex-wrap gap-2 text-sm">
              <span className="rounded bg-accent-50 px-2 py-0.5 text-accent-800">{t(kindLabel(c.kind))}</span>
              <span className="text-slate-600">{t('training.catalogue.hours', { hours: c.hours })}</span>
              <span className="text-slate-600">{t('training.catalogue.modules', { count: c.moduleCount })}</span>
            </div>
            <h2 className="text-lg">
              <Link to={`/training/courses/${c.slug}`}>{c.title}</Link>
            </h2>
            <p className="text-slate-700">{c.summary}</p>
            <p className="text-sm text-slate-600">{c.audience.map((a) => t(audienceLabel(a))).join('、')}</p>
            {c.progress ? (
              <ProgressBar
                percent={c.progress.percent}
                label={t('training.course.progressValue', { done: c.progress.completed, total: c.progress.total })}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </>
  )
}
