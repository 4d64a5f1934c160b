import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FilterBar, FilterField } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { complianceView } from '#app/modules/training/compliance-view.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.compliance.title')

/** Per organisation in scope: who is behind; with `org`, the organisation's mediators one by one. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  return complianceView(request, user)
}

export default function TrainingCompliance() {
  const t = useT()
  const { year, summary, report } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={t('training.compliance.title')}
        actions={
          // A background export (app/modules/jobs/exports/compliance.server.ts): posting starts it.
          <Form method="post" action={`/training/compliance.xlsx?year=${year}${report ? `&org=${report.org.id}` : ''}`} reloadDocument>
            <button type="submit" className="btn-secondary" data-testid="compliance-export">
              {t('training.compliance.export')}
            </button>
          </Form>
        }
        crumbs={
          report
            ? [{ label: t('training.compliance.title'), to: `/training/compliance?year=${year}` }, { label: report.org.name }]
            : [{ label: t('training.compliance.title') }]
        }
      />
      <FilterBar>
        <FilterField label={t('training.archive.year')} htmlFor="year">
          <input id="year" name="year" type="number" defaultValue={year} className="input" />
        </FilterField>
        {report ? <input type="hidden" name="org" value={report.org.id} /> : null}
      </FilterBar>
      {summary ? (
        <section className="card overflow-x-auto">
          {summary.length === 0 ? <p>{t('training.compliance.empty')}</p> : null}
          <table className="w-full text-left text-sm" data-testid="compliance-summary">
            <thead>
              <tr>
                <th className="py-1 pr-2">{t('training.compliance.org')}</th>
                <th className="py-1 pr-2">{t('training.compliance.mediators')}</th>
                <th className="py-1 pr-2">{t('training.compliance.behind')}</th>
                <th className="py-1">{t('training.compliance.preServiceOverdue')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.map((s) => (
                <tr key={s.orgId} className="border-t border-slate-200">
                  <td className="py-1 pr-2">
                    <Link to={`/training/compliance?org=${s.orgId}&year=${year}`}>{s.orgName}</Link>
                  </td>
                  <td className="py-1 pr-2">{s.mediators}</td>
                  <td className="py-1 pr-2">{s.hasPlan ? s.behind : t('training.compliance.noPlan')}</td>
                  <td className="py-1">{s.hasPlan ? s.preServiceOverdue : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {report ? (
        <section className="card overflow-x-auto">
          {!report.hasPlan ? <p>{t('training.compliance.noPlan')}</p> : null}
          <table className="w-full text-left text-sm" data-testid="compliance-report">
            <thead>
              <tr>
                <th className="py-1 pr-2">{t('common.name')}</th>
                <th className="py-1 pr-2">{t('training.compliance.category')}</th>
                <th className="py-1 pr-2">{t('training.compliance.required')}</th>
                <th className="py-1 pr-2">{t('training.compliance.earned')}</th>
                <th className="py-1 pr-2">{t('training.compliance.missing')}</th>
                <th className="py-1">{t('training.compliance.preService')}</th>
              </tr>
            </thead>
            <tbody>
              {report.mediators.map((m) => (
                <tr
                  key={m.personId}
                  className={`border-t border-slate-200 ${m.behind ? 'bg-amber-50' : ''}`}
                  data-behind={m.behind ? '1' : '0'}
                >
                  <td className="py-1 pr-2">
                    <Link to={`/training/archive/${m.personId}`}>{m.name}</Link>
                  </td>
                  <td className="py-1 pr-2">{t(`training.audience.${m.category}`)}</td>
                  <td className="py-1 pr-2">{m.required}</td>
                  <td className="py-1 pr-2">{m.earned}</td>
                  <td className="py-1 pr-2">{m.missing}</td>
                  <td className="py-1">{t(`training.preService.${m.preService}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  )
}
