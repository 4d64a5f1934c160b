import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { DataTable, FilterBar, FilterSearch } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { latestConfig } from '#app/modules/grading/configs.server.ts'
import { expiryHorizon, type ManagedGrade, managedGrades } from '#app/modules/grading/history.server.ts'
import { daysBetween } from '#app/modules/grading/notice.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.grades.title')

/**
 * Dynamic management (动态管理) for the association: grades expiring within the rules'
 * expiryWarningDays (due for re-evaluation), then every current grade it awarded, searchable by
 * name; each leads to demotion or revocation.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:manage')
  const db = getDb()
  const scope = scopeFor(user, 'grading:manage')
  const today = todayInChina()
  // The warning window comes from the association's current rules (the first one in scope).
  const stored = scope.orgIds[0] ? await latestConfig(db, scope.orgIds[0]) : null
  const config = stored?.config ?? DEFAULT_GRADING_CONFIG
  const q = new URL(request.url).searchParams.get('q')?.trim().slice(0, 40) || undefined
  const [expiring, all] = await Promise.all([
    managedGrades(db, scope, { expiringBy: expiryHorizon(config, today) }),
    managedGrades(db, scope, { query: q }),
  ])
  const view = (g: ManagedGrade) => ({ ...g, daysLeft: daysBetween(today, g.validUntil) })
  return { days: config.expiryWarningDays, q: q ?? '', expiring: expiring.map(view), all: all.map(view) }
}

export default function GradesPage() {
  const t = useT()
  const { days, q, expiring, all } = useLoaderData<typeof loader>()
  type Row = (typeof all)[number]
  const columns = [
    {
      key: 'name',
      header: t('gradingNotice.grades.name'),
      render: (g: Row) => <Link to={`/grading/history/${g.personId}`}>{g.name}</Link>,
    },
    { key: 'org', header: t('gradingNotice.grades.org'), render: (g: Row) => g.orgName ?? '' },
    { key: 'grade', header: t('gradingNotice.grades.grade'), render: (g: Row) => g.gradeName },
    {
      key: 'validUntil',
      header: t('gradingNotice.grades.validUntil'),
      render: (g: Row) => (
        <>
          {t.date(g.validUntil)}{' '}
          <span className="text-sm text-slate-600">
            {g.daysLeft < 0 ? t('gradingNotice.grades.expired') : t('gradingNotice.grades.daysLeft', { days: g.daysLeft })}
          </span>
        </>
      ),
    },
    {
      key: 'actions',
      header: t('table.actions'),
      render: (g: Row) => <Link to={`/grading/grades/${g.id}`}>{t('gradingNotice.grades.manage')}</Link>,
    },
  ]
  return (
    <>
      <PageHeader title={t('gradingNotice.grades.title')} />
      <section className="mb-6" data-testid="expiring-grades">
        <h2 className="mb-2 text-lg font-semibold">{t('gradingNotice.grades.expiring', { days })}</h2>
        {expiring.length ? (
          <DataTable<Row>
            caption={t('gradingNotice.grades.expiring', { days })}
            rows={expiring}
            total={expiring.length}
            pageSize={Math.max(expiring.length, 1)}
            rowKey={(g) => g.id}
            columns={columns}
          />
        ) : (
          <p className="card">{t('gradingNotice.grades.noneExpiring')}</p>
        )}
      </section>
      <section data-testid="current-grades">
        <h2 className="mb-2 text-lg font-semibold">{t('gradingNotice.grades.all')}</h2>
        <FilterBar>
          <FilterSearch label={t('gradingNotice.grades.search')} id="grades-q" value={q} />
        </FilterBar>
        {all.length ? (
          <DataTable<Row>
            caption={t('gradingNotice.grades.all')}
            rows={all}
            total={all.length}
            pageSize={Math.max(all.length, 1)}
            rowKey={(g) => g.id}
            columns={columns}
          />
        ) : (
          <p className="card">{t('gradingNotice.grades.none')}</p>
        )}
      </section>
    </>
  )
}
