import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { readUploadedFile } from '#app/lib/xlsx/read.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { IMPORT_LIMITS, stageImport } from '#app/modules/experts/import/import.server.ts'
import { formatMegabytes } from '#app/modules/experts/labels.ts'
import { UploadForm } from '#app/modules/experts/import/ui.tsx'
import { expertBodyScope, isEmptyBodyScope } from '#app/modules/experts/scope.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'expertImport.title')

/** Only staff whose body admits experts import them (the same permission and scope as 录入). */
async function requireImporter(request: Request) {
  const user = await requirePermission(request, 'expert:edit')
  if (isEmptyBodyScope(expertBodyScope(user, 'expert:edit'))) forbidden()
  return user
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireImporter(request)
  return { size: formatMegabytes(IMPORT_LIMITS.maxBytes), rows: IMPORT_LIMITS.maxRows }
}

type UploadError = { error: MessageKey; params?: Record<string, string | number> }

/** Multipart upload of one .xlsx or .csv (field `file`), capped while it streams; checked and staged. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireImporter(request)
  const size = formatMegabytes(IMPORT_LIMITS.maxBytes)
  const fail = (error: MessageKey, params?: Record<string, string | number>) => data<UploadError>({ error, params }, { status: 400 })
  if (!(request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return fail('expertImport.error.missing')
  const upload = await readUploadedFile(request, 'file', IMPORT_LIMITS.maxBytes)
  if (!upload.ok) return upload.error === 'tooLarge' ? fail('expertImport.error.tooLarge', { size }) : fail('expertImport.error.missing')
  const db = getDb()
  const outcome = await stageImport(db, user, upload, await readExpertSettings(db))
  if (!outcome.ok) {
    if (outcome.error === 'missingColumns') return fail('expertImport.error.missingColumns', { columns: outcome.columns.join('、') })
    if (outcome.error === 'tooManyRows') return fail('expertImport.error.tooManyRows', { rows: IMPORT_LIMITS.maxRows })
    return fail(`expertImport.error.${outcome.error}`)
  }
  return redirect(`/experts/import/${outcome.batchId}`)
}

export default function ImportExperts() {
  const t = useT()
  const limits = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title={t('expertImport.title')}
        crumbs={[{ label: t('experts.title'), to: '/experts' }, { label: t('expertImport.title') }]}
      />
      <div className="card flex flex-col gap-4">
        <p>{t('expertImport.intro')}</p>
        <p>
          <a href="/experts/import-template" className="btn-secondary" download>
            {t('expertImport.template')}
          </a>
        </p>
        {result && 'error' in result ? (
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
            {t(result.error, result.params)}
          </p>
        ) : null}
        <UploadForm />
        <p className="text-sm text-slate-600">{t('expertImport.fileHint', { size: limits.size, rows: limits.rows })}</p>
        <p>
          <Link to="/experts">{t('expertImport.backToRoster')}</Link>
        </p>
      </div>
    </>
  )
}
