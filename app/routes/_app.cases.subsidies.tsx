import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { subsidyPeriod } from '#app/modules/cases/model.ts'
import { subsidyLines } from '#app/modules/cases/subsidy.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'cases.subsidy.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'case:manage')
  const { from, to } = subsidyPeriod(new URL(request.url).searchParams, todayInChina())
  const { rateFen, lines } = await subsidyLines(getDb(), scopeFor(user, 'case:manage'), from, to)
  return { from, to, rateFen, lines }
}

export default function Subsidies() {
  const t = useT()
  const { from, to, rateFen, lines } = useLoaderData<typeof loader>()
  const total = lines.reduce((s, l) => s + l.fen, 0)
  return (
    <>
      <PageHeader
        title={t('cases.subsidy.title')}
        crumbs={[{ label: t('cases.list.title'), to: '/cases' }, { label: t('cases.subsidy.title') }]}
        actions={
          <a href={`/cases/subsidies.xlsx?from=${from}&to=${to}`} className="btn-secondary" download>
            {t('cases.subsidy.export')}
          </a>
        }
      />
      <Form method="get" className="card mb-4 flex flex-wrap items-end gap-3">
        <label className="grid gap-1">
          <span className="label">{t('cases.subsidy.from')}</span>
          <input type="date" name="from" defaultValue={from} className="input" />
        </label>
        <label className="grid gap-1">
          <span className="label">{t('cases.subsidy.to')}</span>
          <input type="date" name="to" defaultValue={to} className="input" />
        </label>
        <button type="submit" className="btn-secondary">
          {t('cases.list.search')}
        </button>
      </Form>
      <p className="mb-2">
        {t('cases.subsidy.summary', { count: lines.length, rate: (rateFen / 100).toFixed(2), total: (total / 100).toFixed(2) })}
      </p>
      <ul className="space-y-2" data-testid="subsidy-lines">
        {lines.map((l) => (
          <li key={l.consultationId} className="card">
            {l.caseNumber} · {l.expertName} {l.idMasked ?? ''} · {l.employer} · {l.hours} h · ¥{(l.fen / 100).toFixed(2)}
          </li>
        ))}
      </ul>
    </>
  )
}
