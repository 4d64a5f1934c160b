import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { isId } from '#app/lib/ids.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { readUploadedFile } from '#app/lib/xlsx/read.server.ts'
import { requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { formatMegabytes } from '#app/modules/experts/labels.ts'
import { ATTENDANCE_LIMITS } from '#app/modules/training/attendance-import.ts'
import { importAttendance } from '#app/modules/training/attendance-import.server.ts'
import { getSession } from '#app/modules/training/sessions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.attendanceImport.title')

async function sessionFor(request: Request, sessionId: string | undefined) {
  const user = await requirePermission(request, 'training:manage')
  if (!isId(sessionId)) notFound()
  const session = await getSession(getDb(), sessionId)
  if (!session) notFound()
  await requireRecordAccess(request, user, 'training:manage', { type: 'training_session', id: session.id, ...session.scope })
  return { user, session }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await sessionFor(request, params.sessionId)
  return {
    session: { id: session.id, title: session.title },
    size: formatMegabytes(ATTENDANCE_LIMITS.maxBytes),
    rows: ATTENDANCE_LIMITS.maxRows,
  }
}

type ActionResult =
  | { error: MessageKey; params?: Record<string, string | number> }
  | {
      imported: number
      rows: number
      bad: {
        rowNumber: number
        cardNumber: string
        name: string
        problems: { field: string; message: MessageKey; params?: Record<string, string | number> }[]
      }[]
    }

/**
 * Multipart upload (field `file`, capped while it streams); `?mode=valid` imports the clean rows
 * only, otherwise the file is imported only when every row is clean. A clean import redirects back to the session.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, session } = await sessionFor(request, params.sessionId)
  const size = formatMegabytes(ATTENDANCE_LIMITS.maxBytes)
  const fail = (error: MessageKey, params?: Record<string, string | number>) => data<ActionResult>({ error, params }, { status: 400 })
  if (!(request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return fail('training.attendanceImport.error.missing')
  const upload = await readUploadedFile(request, 'file', ATTENDANCE_LIMITS.maxBytes)
  if (!upload.ok) {
    return upload.error === 'tooLarge'
      ? fail('training.attendanceImport.error.tooLarge', { size })
      : fail('training.attendanceImport.error.missing')
  }
  // The mode travels in the URL (the submit button's formAction): the upload handler keeps the file part only.
  const mode = new URL(request.url).searchParams.get('mode') === 'valid' ? 'valid' : 'all'
  // Leaving the page (the cancel link, the browser's Stop) aborts request.signal: the import stops
  // between chunks, rolls back and audits the cancellation.
  const outcome = await importAttendance(getDb(), request, user, session, upload, mode)
  if (!outcome.ok) {
    // Thrown, not returned, as on the batch page: there is no page to render for a client that has gone.
    if (outcome.error === 'cancelled') throw new Response(null, { status: 499 })
    if (outcome.error === 'missingColumns')
      return fail('training.attendanceImport.error.missingColumns', { columns: outcome.columns.join('、') })
    if (outcome.error === 'tooManyRows') return fail('training.attendanceImport.error.tooManyRows', { rows: ATTENDANCE_LIMITS.maxRows })
    return fail(`training.attendanceImport.error.${outcome.error}`)
  }
  if (outcome.bad.length === 0) {
    return redirectWithFlash(`/training/sessions/${session.id}`, {
      kind: 'success',
      message: 'training.attendanceImport.imported',
      params: { count: outcome.imported, rows: outcome.rows },
    })
  }
  return data<ActionResult>(
    { imported: outcome.imported, rows: outcome.rows, bad: outcome.bad },
    { status: outcome.imported > 0 ? 200 : 400 },
  )
}

export default function ImportAttendance() {
  const t = useT()
  const { session, size, rows } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  // 2,000 rows take about a second, longer on a busy server: say so, and offer to stop. The cancel link
  // navigates, which aborts the submission; the server sees the request go and rolls back.
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const uploading = busy ? navigation.formData?.get('file') : null
  const uploadName = uploading instanceof File ? uploading.name : ''
  return (
    <>
      <PageHeader
        title={t('training.attendanceImport.title')}
        crumbs={[
          { label: t('training.session.listTitle'), to: '/training/sessions' },
          { label: session.title, to: `/training/sessions/${session.id}` },
          { label: t('training.attendanceImport.title') },
        ]}
      />
      {result && 'bad' in result ? (
        <section className="card mb-4 overflow-x-auto" data-testid="import-report">
          <p role="alert" className="mb-2 rounded border border-amber-300 bg-amber-50 p-3 text-amber-900">
            {result.imported > 0
              ? t('training.attendanceImport.someImported', { count: result.imported })
              : t('training.attendanceImport.nothingImported')}
          </p>
          <p className="mb-2">{t('training.attendanceImport.report', { rows: result.rows, bad: result.bad.length })}</p>
          <table className="w-full text-left text-sm">
            <thead>
              <tr>
                <th className="py-1 pr-2">{t('training.attendanceImport.row')}</th>
                <th className="py-1 pr-2">{t('training.attendanceImport.field.cardNumber')}</th>
                <th className="py-1 pr-2">{t('training.attendanceImport.field.name')}</th>
                <th className="py-1">{t('training.attendanceImport.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {result.bad.map((r) => (
                <tr key={r.rowNumber} className="border-t border-slate-200 align-top" data-row={r.rowNumber}>
                  <td className="py-1 pr-2">{r.rowNumber}</td>
                  <td className="py-1 pr-2 break-all">{r.cardNumber}</td>
                  <td className="py-1 pr-2">{r.name}</td>
                  <td className="py-1">
                    <ul>
                      {r.problems.map((p) => (
                        <li key={`${p.field}:${p.message}`}>
                          {t(`training.attendanceImport.field.${p.field as 'cardNumber' | 'name' | 'assessment'}`)}：
                          {t(p.message, p.params)}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <div className="card flex flex-col gap-4">
        <p>{t('training.attendanceImport.intro')}</p>
        <p>
          <a href="/training/attendance-template" className="btn-secondary" download>
            {t('training.attendanceImport.template')}
          </a>
        </p>
        {result && 'error' in result ? (
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
            {t(result.error, result.params)}
          </p>
        ) : null}
        <Form
          method="post"
          action={`/training/sessions/${session.id}/import`}
          encType="multipart/form-data"
          className="flex flex-col gap-3"
        >
          <label className="label" htmlFor="attendance-file">
            {t('training.attendanceImport.file')}
          </label>
          <input
            id="attendance-file"
            name="file"
            type="file"
            required
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            className="input"
          />
          <p className="text-sm text-slate-600">{t('training.attendanceImport.fileHint', { size, rows })}</p>
          <div className="flex flex-wrap gap-3">
            <button type="submit" className="btn-primary" disabled={busy}>
              {t('training.attendanceImport.importAll')}
            </button>
            <button
              type="submit"
              formAction={`/training/sessions/${session.id}/import?mode=valid`}
              className="btn-secondary"
              disabled={busy}
            >
              {t('training.attendanceImport.importValid')}
            </button>
          </div>
          <p className="text-sm text-slate-600">{t('training.attendanceImport.importAllHint')}</p>
          {busy ? (
            <output className="flex flex-col gap-2 rounded border border-slate-200 p-3" data-testid="import-running">
              {/* No value: an indeterminate bar, as the browser cannot know how far the server has got. */}
              <progress className="h-2 w-full" aria-label={t('training.attendanceImport.working', { file: uploadName })} />
              <span className="break-all">{t('training.attendanceImport.working', { file: uploadName })}</span>
              <span className="text-sm text-slate-600">{t('training.attendanceImport.workingHint')}</span>
              <span>
                <Link to={`/training/sessions/${session.id}`} className="btn-secondary">
                  {t('training.attendanceImport.cancel')}
                </Link>
              </span>
            </output>
          ) : null}
        </Form>
        <p>
          <Link to={`/training/sessions/${session.id}`}>{session.title}</Link>
        </p>
      </div>
    </>
  )
}
