import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react'
import { useEffect } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { z } from '#app/lib/validation.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { discardImport, loadBatch, runImport, startImport, stopImport } from '#app/modules/experts/import/import.server.ts'
import { UploadForm } from '#app/modules/experts/import/ui.tsx'
import { expertBodyScope, isEmptyBodyScope } from '#app/modules/experts/scope.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'expertImport.batchTitle')

async function requireImporter(request: Request) {
  const user = await requirePermission(request, 'expert:edit')
  if (isEmptyBodyScope(expertBodyScope(user, 'expert:edit'))) forbidden()
  return user
}

/** The check report and progress of one of the user's own imports (anyone else's: 404). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireImporter(request)
  const batch = await loadBatch(getDb(), user, params.batchId ?? '')
  if (!batch) notFound()
  return { batch }
}

const batchActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start'), mode: z.enum(['all', 'good']) }),
  z.object({ intent: z.literal('continue') }),
  z.object({ intent: z.literal('discard') }),
  z.object({ intent: z.literal('stop') }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireImporter(request)
  const db = getDb()
  const batchId = params.batchId ?? ''
  const here = `/experts/import/${batchId}`
  const submission = parseWithZod(await request.formData(), { schema: batchActionSchema })
  if (submission.status !== 'success') return data<{ error: MessageKey }>({ error: 'validation.invalid' }, { status: 400 })
  const input = submission.value
  if (input.intent === 'discard') {
    if (!(await loadBatch(db, user, batchId))) notFound()
    if (!(await discardImport(db, user, batchId))) return redirectWithFlash(here, { kind: 'error', message: 'expertImport.error.state' })
    return redirectWithFlash('/experts/import', { kind: 'info', message: 'expertImport.flash.discarded' })
  }
  if (input.intent === 'stop') {
    if (!(await loadBatch(db, user, batchId))) notFound()
    if (!(await stopImport(db, request, user, batchId)))
      return redirectWithFlash(here, { kind: 'error', message: 'expertImport.error.state' })
    return redirect(here)
  }
  if (input.intent === 'start') {
    const started = await startImport(db, user, batchId, input.mode)
    if (started === 'missing') notFound()
    if (started === 'notClean') return data<{ error: MessageKey }>({ error: 'expertImport.error.notClean' }, { status: 400 })
    if (started === 'state') return redirectWithFlash(here, { kind: 'error', message: 'expertImport.error.state' })
  }
  const result = await runImport(db, request, user, batchId)
  if (!result) notFound()
  if (result.status === 'done') {
    const batch = await loadBatch(db, user, batchId)
    return redirectWithFlash(here, { kind: 'success', message: 'expertImport.flash.done', params: { imported: batch?.imported_rows ?? 0 } })
  }
  // Still importing: the page shows the server's count and continues (Post/Redirect/Get).
  return redirect(here)
}

/** Keeps a started import going with JavaScript; without it the "continue" button does the same. */
function AutoContinue() {
  const fetcher = useFetcher()
  useEffect(() => {
    if (fetcher.state !== 'idle') return
    const timer = setTimeout(() => fetcher.submit({ intent: 'continue' }, { method: 'post' }), 300)
    return () => clearTimeout(timer)
  }, [fetcher])
  return null
}

export default function ImportBatch() {
  const t = useT()
  const { batch } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { report } = batch
  const ready = batch.status === 'checked'
  return (
    <>
      <PageHeader
        title={t('expertImport.batchTitle')}
        crumbs={[
          { label: t('experts.title'), to: '/experts' },
          { label: t('expertImport.title'), to: '/experts/import' },
          { label: t('expertImport.batchTitle') },
        ]}
      />
      <div className="card flex flex-col gap-3">
        <p className="break-all">{t('expertImport.file.name', { name: batch.file_name })}</p>
        <ul className="flex flex-wrap gap-x-6 gap-y-1" data-testid="import-summary">
          <li>{t('expertImport.summary.total', { count: batch.total_rows })}</li>
          <li>{t('expertImport.summary.good', { count: batch.good_rows })}</li>
          <li className={batch.bad_rows ? 'font-semibold text-red-800' : ''}>{t('expertImport.summary.bad', { count: batch.bad_rows })}</li>
          <li>{t('expertImport.summary.existing', { count: batch.existing_rows })}</li>
        </ul>
        {report.unknownColumns.length ? <p>{t('expertImport.unknownColumns', { columns: report.unknownColumns.join('、') })}</p> : null}
        {actionData && 'error' in actionData ? (
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
            {t(actionData.error)}
          </p>
        ) : null}

        {batch.status === 'importing' ? (
          <div aria-live="polite" className="flex flex-col gap-2">
            <p data-testid="import-progress">{t('expertImport.progress', { done: batch.next_index, total: batch.good_rows })}</p>
            <progress max={Math.max(1, batch.good_rows)} value={batch.next_index} className="w-full" />
            <p className="text-sm text-slate-600">{t('expertImport.progress.auto')}</p>
            <Form method="post">
              <button type="submit" name="intent" value="continue" className="btn-primary">
                {t('expertImport.progress.continue')}
              </button>{' '}
              <button type="submit" name="intent" value="stop" className="btn-secondary" data-testid="import-stop">
                {t('dashboard.work.stop')}
              </button>
            </Form>
            <AutoContinue />
          </div>
        ) : null}
        {batch.status === 'done' ? (
          <p aria-live="polite" className="rounded border border-green-300 bg-green-50 p-3 text-green-900" data-testid="import-done">
            {t('expertImport.done', { imported: batch.imported_rows, skipped: batch.existing_rows + batch.skipped_rows })}
          </p>
        ) : null}
        {batch.status === 'discarded' ? (
          <p>
            {batch.imported_rows > 0
              ? t('dashboard.work.importStopped', { imported: batch.imported_rows, done: batch.next_index, total: batch.good_rows })
              : t('expertImport.discarded')}
          </p>
        ) : null}

        {ready ? (
          batch.bad_rows === 0 ? (
            <p className="text-green-900">{t('expertImport.report.clean')}</p>
          ) : (
            <p className="font-semibold text-red-800">{t('expertImport.report.hasErrors', { count: batch.bad_rows })}</p>
          )
        ) : null}
        {ready ? (
          <div className="flex flex-wrap gap-3">
            {batch.good_rows > 0 && batch.bad_rows === 0 ? (
              <Form method="post">
                <input type="hidden" name="mode" value="all" />
                <button type="submit" name="intent" value="start" className="btn-primary">
                  {t('expertImport.start.all', { count: batch.good_rows })}
                </button>
              </Form>
            ) : null}
            {batch.good_rows > 0 && batch.bad_rows > 0 ? (
              <Form method="post" className="flex flex-col gap-1">
                <input type="hidden" name="mode" value="good" />
                <button type="submit" name="intent" value="start" className="btn-secondary">
                  {t('expertImport.start.good', { count: batch.good_rows })}
                </button>
                <span className="text-sm text-slate-600">{t('expertImport.start.goodHint')}</span>
              </Form>
            ) : null}
            {batch.good_rows === 0 ? <p>{t('expertImport.nothing')}</p> : null}
            <Form method="post">
              <button type="submit" name="intent" value="discard" className="btn-secondary">
                {t('expertImport.discard')}
              </button>
            </Form>
          </div>
        ) : null}
        {batch.status === 'done' || batch.status === 'discarded' ? (
          <p className="flex flex-wrap gap-4">
            <Link to="/experts">{t('expertImport.backToRoster')}</Link>
            <Link to="/experts/import">{t('expertImport.again')}</Link>
          </p>
        ) : null}
      </div>

      {report.bad.length ? (
        <div className="card mt-4 overflow-x-auto p-0 sm:p-0">
          <table className="w-full border-collapse text-left text-sm sm:text-base" data-testid="import-errors">
            <caption className="px-3 py-2 text-left font-semibold">{t('expertImport.report.caption')}</caption>
            <thead className="bg-slate-100">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t('expertImport.report.row')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('expertImport.report.name')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('expertImport.report.column')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('expertImport.report.message')}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.bad.flatMap((row) =>
                row.errors.map((error, i) => (
                  <tr key={`${row.row}-${i}`} className="border-t border-slate-200 align-top">
                    <td className="px-3 py-2">{i === 0 ? row.row : ''}</td>
                    <td className="px-3 py-2">{i === 0 ? row.name : ''}</td>
                    <td className="whitespace-nowrap px-3 py-2">{error.column || t('expertImport.report.wholeRow')}</td>
                    <td className="px-3 py-2">{t.ref(error.message)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      ) : null}

      {report.warnings.length ? (
        <div className="card mt-4">
          <h2 className="font-semibold">{t('expertImport.warnings.caption')}</h2>
          <ul className="list-disc pl-6">
            {report.warnings.map((w) => (
              <li key={w.row}>
                {t('expertImport.report.row')} {w.row} · {w.name}: {t.ref(w.message)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {report.existing.length ? (
        <div className="card mt-4">
          <h2 className="font-semibold">{t('expertImport.existing.caption')}</h2>
          <ul className="list-disc pl-6" data-testid="import-existing">
            {report.existing.map((e) => (
              <li key={e.row}>
                {t('expertImport.report.row')} {e.row} · {e.name} ·{' '}
                <Link to={`/experts/${e.expertId}`}>{t('expertImport.existing.view')}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {ready && batch.bad_rows > 0 ? (
        <div className="card mt-4">
          <UploadForm label={t('expertImport.reupload')} />
        </div>
      ) : null}
    </>
  )
}
