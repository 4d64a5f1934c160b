import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { CursorPager } from '#app/components/ui/cursor-pager.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { parseListParams } from '#app/lib/list-params.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { recordHistory } from '#app/modules/audit/audit-log.server.ts'
import { parseCursor } from '#app/lib/keyset.ts'
import { readDetail } from '#app/modules/audit/history.ts'
import { auditActionLabel, auditResultLabel, recordTypeLabel } from '#app/modules/audit/labels.ts'
import { requireHistoryAccess } from '#app/modules/audit/record-access.server.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'audit.history.title')

/** One record's history: who changed what, before and after (read-only, no action). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const access = await requireHistoryAccess(request, user, params.type, params.id)
  const url = new URL(request.url)
  const { pageSize } = parseListParams(url, { sortable: ['at'] as const, defaultSort: 'at' })
  const page = await recordHistory(
    getDb(),
    { type: params.type!, id: params.id! },
    { onlySucceeded: !access.full, pageSize, cursor: parseCursor(url.searchParams), search: url.searchParams },
  )
  return {
    type: params.type!,
    id: params.id!,
    full: access.full,
    total: page.total,
    pages: page.pages,
    entries: page.rows.map((r) => ({
      id: r.id,
      at: r.at,
      username: r.username,
      action: r.action,
      result: r.result,
      // Addresses and scopes stay with the auditors.
      ip: access.full ? r.ip : null,
      ...readDetail(r.detail),
    })),
  }
}

export default function RecordHistory() {
  const t = useT()
  const { type, id, full, total, pages, entries } = useLoaderData<typeof loader>()
  const typeLabel = recordTypeLabel(type)
  const actionName = (action: string) => {
    const label = auditActionLabel(action)
    return label ? t(label) : action
  }
  return (
    <>
      <PageHeader
        title={t('audit.history.title')}
        crumbs={[
          ...(full ? [{ label: t('audit.title'), to: `/audit?recordType=${type}&recordId=${encodeURIComponent(id)}` }] : []),
          { label: t('audit.history.title') },
        ]}
      />
      <p className="mb-4 text-slate-700">
        {typeLabel ? t(typeLabel) : type} · <span className="break-all font-mono text-sm">{id}</span> ·{' '}
        {t('audit.history.count', { n: total })}
      </p>
      {!full ? <p className="mb-4 text-sm text-slate-600">{t('audit.history.managerNote')}</p> : null}
      {entries.length === 0 ? (
        <p className="card text-slate-700">{t('audit.history.empty')}</p>
      ) : (
        <ol className="space-y-3" data-testid="record-history">
          {entries.map((e) => (
            <li key={e.id} className="card" data-action={e.action}>
              <p className="flex flex-wrap items-baseline gap-x-3">
                <span className="font-semibold">{actionName(e.action)}</span>
                <span>{e.username ?? t('audit.anonymous')}</span>
                <time dateTime={e.at} className="text-sm text-slate-600">
                  {t.dateTime(e.at)}
                </time>
                {e.result !== 'ok' ? <span className="font-semibold text-red-800">{t(auditResultLabel(e.result))}</span> : null}
                {e.ip ? <span className="text-sm text-slate-600">{e.ip}</span> : null}
              </p>
              {e.changes.length ? (
                <div className="mt-2 overflow-x-auto">
                  <table className="w-full text-left text-sm">
                    <caption className="sr-only">{t('audit.history.changes')}</caption>
                    <thead className="text-slate-600">
                      <tr>
                        <th scope="col" className="pr-3 font-normal">
                          {t('audit.history.field')}
                        </th>
                        <th scope="col" className="pr-3 font-normal">
                          {t('audit.history.before')}
                        </th>
                        <th scope="col" className="font-normal">
                          {t('audit.history.after')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {e.changes.map((c) => (
                        <tr key={c.field} className="border-t border-slate-100 align-top">
                          <th scope="row" className="pr-3 font-mono font-normal">
                            {c.field || '—'}
                          </th>
                          <td className="break-all pr-3 text-slate-700">{c.before}</td>
                          <td className="break-all">{c.after}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
              {e.note ? (
                <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{e.note}</pre>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <div className="mt-4">
        <CursorPager pages={pages} />
      </div>
    </>
  )
}
