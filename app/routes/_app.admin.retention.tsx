import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { type RecordColumn, RecordTable } from '#app/components/ui/record-table.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { countDue, cutoffNow, purgeDueParties, recentRuns } from '#app/modules/retention/purge.server.ts'
import { purgeFormSchema } from '#app/modules/retention/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'retention.title')

// The retention is a deployment setting, and enforcing it early is the same duty: only the
// holder of settings:manage (the system administrator) sees the page and may purge.
const PERMISSION = 'settings:manage'

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, PERMISSION)
  const db = getDb()
  const { cutoff, months } = await cutoffNow(db)
  const [due, runs] = await Promise.all([countDue(db, cutoff), recentRuns(db, 10)])
  return { months, cutoff, due, runs, lastRunId: runs[0]?.id ?? '' }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, PERMISSION)
  const submission = parseWithZod(await request.formData(), { schema: purgeFormSchema })
  if (submission.status !== 'success') badRequest()
  const db = getDb()
  const [latest] = await recentRuns(db, 1)
  if ((latest?.id ?? '') !== submission.value.lastRunId) {
    return redirectWithFlash('/admin/retention', { kind: 'info', message: 'retention.purge.alreadyRan' })
  }
  const result = await purgeDueParties(db, { trigger: 'admin', actor: actorOf(user), request })
  return redirectWithFlash(
    '/admin/retention',
    result.cases
      ? { kind: 'success', message: 'retention.purge.done', params: { cases: result.cases, persons: result.persons } }
      : { kind: 'info', message: 'retention.purge.nothing' },
  )
}

type Run = Awaited<ReturnType<typeof loader>>['runs'][number]

export default function RetentionPage() {
  const t = useT()
  const { months, cutoff, due, runs, lastRunId } = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const columns: RecordColumn<Run>[] = [
    { key: 'at', header: t('retention.runs.at'), render: (run) => t.dateTime(run.at), nowrap: true },
    {
      key: 'trigger',
      header: t('retention.runs.trigger'),
      render: (run) => t(run.trigger ? `retention.trigger.${run.trigger}` : 'retention.trigger.unknown'),
    },
    {
      key: 'by',
      header: t('retention.runs.by'),
      render: (run) => (run.username?.startsWith('system:') ? t('retention.system') : (run.username ?? '')),
    },
    { key: 'cutoff', header: t('retention.runs.cutoff'), render: (run) => (run.cutoff ? t.date(run.cutoff) : ''), nowrap: true },
    { key: 'cases', header: t('retention.runs.cases'), render: (run) => t.number(run.cases), numeric: true },
    { key: 'persons', header: t('retention.runs.persons'), render: (run) => t.number(run.persons), numeric: true },
    {
      key: 'result',
      header: t('retention.runs.result'),
      render: (run) =>
        t(
          run.result === 'failed' ? 'retention.result.failed' : run.result === 'denied' ? 'retention.result.denied' : 'retention.result.ok',
        ),
    },
  ]
  return (
    <>
      <PageHeader title={t('retention.title')} crumbs={[{ label: t('retention.title') }]} />
      <p className="mb-4 text-slate-700">{t('retention.intro')}</p>

      <section className="card mb-6" aria-labelledby="retention-due">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="text-slate-600">{t('retention.setting')}</dt>
          <dd data-testid="retention-months">
            {t('retention.setting.value', { months })}{' '}
            <Link to="/admin/settings#settings-retention" className="text-sm">
              {t('retention.setting.edit')}
            </Link>
          </dd>
        </dl>
        <h2 id="retention-due" className="mt-4 text-lg">
          {t('retention.due.title')}
        </h2>
        <p data-testid="retention-due">
          {t('retention.due.summary', { cutoff: t.dateTime(cutoff), cases: t.number(due.cases), persons: t.number(due.persons) })}
        </p>
        <h2 className="mt-4 text-lg">{t('retention.purge.title')}</h2>
        <p className="text-sm text-slate-600">{t('retention.purge.help')}</p>
        <Form method="post" className="mt-2">
          <input type="hidden" name="lastRunId" value={lastRunId} />
          <button type="submit" className="btn-primary" disabled={busy}>
            {t('retention.purge.submit')}
          </button>
        </Form>
      </section>

      <section className="card" aria-labelledby="retention-runs">
        <h2 id="retention-runs" className="text-lg">
          {t('retention.runs.title')}
        </h2>
        <RecordTable
          caption={t('retention.runs.title')}
          columns={columns}
          rows={runs}
          rowKey={(r) => r.id}
          empty={t('retention.runs.empty')}
          testId="retention-runs"
        />
      </section>
    </>
  )
}
