import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { CursorPager } from '#app/components/ui/cursor-pager.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { parseCursor } from '#app/lib/keyset.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { pageCases } from '#app/modules/cases/cases.server.ts'
import { caseListFilter, parseCaseListQuery } from '#app/modules/cases/list-filter.ts'
import { CASE_STATUSES, difficultyLabel, isOverdue, statusLabel } from '#app/modules/cases/model.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'cases.list.title')

/** Cases per page: enough for a day's intake, small enough for a phone. */
const CASE_PAGE_SIZE = 30

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'case:view')
  const url = new URL(request.url)
  const query = parseCaseListQuery(url)
  const { cases, pages } = await pageCases(getDb(), scopeFor(user, 'case:view'), caseListFilter(query), {
    pageSize: CASE_PAGE_SIZE,
    cursor: parseCursor(url.searchParams),
    search: url.searchParams,
  })
  return { cases, pages, status: query.status, q: query.q, today: todayInChina(), canManage: hasPermission(user, 'case:manage') }
}

export default function CaseList() {
  const t = useT()
  const { cases, pages, status, q, today, canManage } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={t('cases.list.title')}
        crumbs={[{ label: t('cases.list.title') }]}
        actions={
          <>
            {canManage ? (
              <>
                <Link to="/cases/new" className="btn-primary">
                  {t('cases.list.new')}
                </Link>
                <Link to="/cases/batch" className="btn-secondary">
                  {t('cases.nav.batch')}
                </Link>
                <Link to="/cases/subsidies" className="btn-secondary">
                  {t('cases.nav.subsidies')}
                </Link>
              </>
            ) : null}
            {/* 疑难复杂纠纷台账: the list's filters, every page; a background export (app/modules/jobs). */}
            <Form method="post" action={`/cases.xlsx?${new URLSearchParams({ status, ...(q ? { q } : {}) })}`} reloadDocument>
              <button type="submit" className="btn-secondary" data-testid="cases-export">
                {t('stats.exportList')}
              </button>
            </Form>
          </>
        }
      />
      <Form method="get" className="card mb-4 flex flex-wrap items-end gap-3">
        <label className="grid gap-1">
          <span className="label">{t('cases.list.filter.status')}</span>
          <select name="status" defaultValue={status} className="input">
            <option value="open">{t('cases.list.filter.open')}</option>
            <option value="all">{t('cases.list.filter.all')}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(statusLabel(s))}
              </option>
            ))}
          </select>
        </label>
        <label className="grid gap-1">
          <span className="label">{t('cases.list.filter.q')}</span>
          <input name="q" defaultValue={q} className="input" type="search" />
        </label>
        <button type="submit" className="btn-secondary">
          {t('cases.list.search')}
        </button>
      </Form>
      {cases.length === 0 ? <p className="card">{t('cases.list.empty')}</p> : null}
      <ul className="space-y-3" data-testid="case-list">
        {cases.map((c) => (
          <li key={c.id} className="card">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <Link to={`/cases/${c.id}`} className="font-medium">
                {c.title}
              </Link>
              <span className="text-sm text-slate-600">{c.case_number}</span>
            </div>
            <p className="text-sm text-slate-600">
              {t(statusLabel(c.status))} · {t(difficultyLabel(c.difficulty))} ·{' '}
              {t.locale === 'en' ? c.dispute_type_en : c.dispute_type_code} · {c.region_name} · {c.org_name} ·{' '}
              {t('cases.list.experts', { assigned: c.experts_assigned, needed: c.experts_needed })} ·{' '}
              {t('cases.due', { date: t.date(c.due) })}
              {isOverdue(c.status, c.due, today) ? <strong className="ml-2 text-red-700">{t('cases.overdue')}</strong> : null}
            </p>
          </li>
        ))}
      </ul>
      <div className="mt-4">
        <CursorPager pages={pages} />
      </div>
    </>
  )
}
