import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/ui/data-table.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { objectionsOfRound } from '#app/modules/grading/objections.server.ts'
import { requireRoundAccess } from '#app/modules/grading/round-scope.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.objections.title')

/** The association's list of a round's objections: open ones first, each linking to its handling page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const { loaded } = await requireRoundAccess(request, db, 'grading:manage', params.roundId)
  const objections = await objectionsOfRound(db, loaded)
  return {
    round: { id: loaded.round.id, title: loaded.round.title, status: loaded.round.status },
    objections: objections.map((o) => ({
      id: o.id,
      createdAt: o.createdAt,
      filerName: o.filerName,
      contactMasked: o.contactMasked,
      target: o.applicantName ? `${o.gradeName ?? ''}：${o.applicantName}` : null,
      status: o.status,
    })),
    open: objections.filter((o) => o.status === 'open').length,
  }
}

export default function RoundObjections() {
  const t = useT()
  const { round, objections, open } = useLoaderData<typeof loader>()
  type Row = (typeof objections)[number]
  return (
    <>
      <PageHeader
        title={t('gradingNotice.objections.title')}
        crumbs={[{ label: round.title, to: `/grading/rounds/${round.id}` }, { label: t('gradingNotice.objections.title') }]}
        actions={
          <Link to={`/notice/${round.id}`} className="btn-secondary">
            {t('gradingNotice.objections.publicPage')}
          </Link>
        }
      />
      <p className="mb-4" data-testid="open-objections">
        {t('gradingNotice.objections.openCount', { count: open })}
      </p>
      {objections.length ? (
        <DataTable<Row>
          caption={t('gradingNotice.objections.title')}
          rows={objections}
          total={objections.length}
          pageSize={Math.max(objections.length, 1)}
          rowKey={(o) => o.id}
          columns={[
            { key: 'filedAt', header: t('gradingNotice.objections.filedAt'), render: (o) => t.dateTime(o.createdAt) },
            { key: 'filer', header: t('gradingNotice.objections.filer'), render: (o) => o.filerName },
            { key: 'contact', header: t('gradingNotice.objections.contact'), render: (o) => o.contactMasked },
            {
              key: 'target',
              header: t('gradingNotice.objections.target'),
              render: (o) => o.target ?? t('gradingNotice.objections.roundWide'),
            },
            {
              key: 'status',
              header: t('gradingNotice.objections.status'),
              render: (o) => t(`gradingNotice.objections.status.${o.status}`),
            },
            {
              key: 'actions',
              header: t('table.actions'),
              render: (o) => (
                <Link to={`/grading/rounds/${round.id}/objections/${o.id}`}>
                  {o.status === 'open' ? t('gradingNotice.objections.open') : t('gradingNotice.objections.view')}
                </Link>
              ),
            },
          ]}
        />
      ) : (
        <p className="card">{t('gradingNotice.objections.none')}</p>
      )}
    </>
  )
}
