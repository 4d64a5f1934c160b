import { getFormProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { allows } from '#app/modules/auth/policy.ts'
import { formatMegabytes } from '#app/modules/experts/labels.ts'
import { regionOptionLabel } from '#app/modules/orgs/org-form.tsx'
import { regionPathOf, regionsInScope } from '#app/modules/regions/regions.server.ts'
import { SYNC_LIMITS, ensureSource, listRuns, listSources, stageUpload } from '#app/modules/roster-sync/sync.server.ts'
import { STATUS_LABELS } from '#app/modules/roster-sync/ui.tsx'
import { readSyncUpload, uploadSchema } from '#app/modules/roster-sync/upload.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'rosterSync.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'roster:sync')
  const scope = scopeFor(user, 'roster:sync')
  const page = Math.max(1, Math.min(1000, Number(new URL(request.url).searchParams.get('page')) || 1))
  const db = getDb()
  const [regions, sources, history] = await Promise.all([regionsInScope(db, scope), listSources(db), listRuns(db, scope, page)])
  return {
    regions,
    sources,
    history,
    page,
    limits: { size: formatMegabytes(SYNC_LIMITS.maxBytes), rows: SYNC_LIMITS.maxRows },
  }
}

/** Multipart: the file (capped while it streams) and the source, roster kind and region of the sync. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'roster:sync')
  const isMultipart = (request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')
  const upload = isMultipart ? await readSyncUpload(request, SYNC_LIMITS.maxBytes) : { form: new FormData(), file: null, tooLarge: false }
  const submission = parseWithZod(upload.form, { schema: uploadSchema })
  const formErrors: string[] = []
  if (upload.tooLarge) formErrors.push(messageRef('rosterSync.error.tooLarge', { size: formatMegabytes(SYNC_LIMITS.maxBytes) }))
  else if (!upload.file) formErrors.push('rosterSync.error.missing')
  if (submission.status !== 'success' || !upload.file) return data(submission.reply({ formErrors }), { status: 400 })
  const input = submission.value
  const db = getDb()
  const regionPath = await regionPathOf(db, input.regionCode)
  if (!regionPath || !allows(user, 'roster:sync', { regionPath })) {
    await audit(db, request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'region',
      recordId: input.regionCode,
      result: 'denied',
      detail: { permission: 'roster:sync' },
    })
    return data(submission.reply({ fieldErrors: { regionCode: ['rosterSync.error.regionOutOfScope'] } }), { status: 400 })
  }
  let sourceId = input.sourceId
  if (sourceId) {
    const known = (await listSources(db)).some((s) => s.id === sourceId)
    if (!known) return data(submission.reply({ fieldErrors: { sourceId: ['validation.choice'] } }), { status: 400 })
  } else {
    sourceId = await ensureSource(db, user, input.newSource!)
  }
  const outcome = await stageUpload(db, user, { sourceId, kind: input.kind, regionCode: input.regionCode, file: upload.file })
  if (!outcome.ok) {
    const message =
      outcome.error === 'tooManyRows'
        ? messageRef('rosterSync.error.tooManyRows', { rows: SYNC_LIMITS.maxRows })
        : (`rosterSync.error.${outcome.error}` as const)
    return data(submission.reply({ formErrors: [message] }), { status: 400 })
  }
  return redirect(`/admin/roster-sync/${outcome.runId}`)
}

export default function RosterSync() {
  const t = useT()
  const { regions, sources, history, page, limits } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'roster-upload',
    lastResult,
    defaultValue: { kind: 'orgs', regionCode: regions[0]?.code ?? '', sourceId: sources.length === 1 ? sources[0]!.id : '', newSource: '' },
    shouldValidate: 'onSubmit',
  })
  const pages = Math.max(1, Math.ceil(history.total / 50))
  return (
    <>
      <PageHeader title={t('rosterSync.title')} crumbs={[{ label: t('rosterSync.title') }]} />
      <div className="card flex flex-col gap-4">
        <p>{t('rosterSync.intro')}</p>
        <h2 className="text-lg font-semibold">{t('rosterSync.upload.title')}</h2>
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="grid gap-4 md:grid-cols-2">
          <div className="md:col-span-2">
            <FormErrors errors={form.errors} />
          </div>
          <SelectField
            meta={fields.sourceId}
            label={t('rosterSync.upload.source')}
            placeholder={t('rosterSync.upload.sourceNone')}
            options={sources.map((s) => ({ value: s.id, label: s.name }))}
          />
          <TextField meta={fields.newSource} label={t('rosterSync.upload.newSource')} hint={t('rosterSync.upload.newSourceHint')} />
          <div>
            <label className="label" htmlFor={fields.kind.id}>
              {t('rosterSync.upload.kind')}
            </label>
            <select {...getSelectProps(fields.kind)} className="input">
              <option value="orgs">{t('rosterSync.kind.orgs')}</option>
              <option value="mediators">{t('rosterSync.kind.mediators')}</option>
            </select>
            <p className="field-hint">{t('rosterSync.upload.orgsFirst')}</p>
          </div>
          <SelectField
            meta={fields.regionCode}
            label={t('rosterSync.upload.region')}
            hint={t('rosterSync.upload.regionHint')}
            required
            options={regions.map((r) => ({ value: r.code, label: regionOptionLabel(r) }))}
          />
          <div className="md:col-span-2">
            <label className="label" htmlFor="roster-file">
              {t('rosterSync.upload.file')}
            </label>
            <input
              id="roster-file"
              name="file"
              type="file"
              required
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              className="input"
              aria-describedby="roster-file-hint"
            />
            <p id="roster-file-hint" className="field-hint">
              {t('rosterSync.upload.fileHint', limits)}
            </p>
          </div>
          <div className="md:col-span-2">
            <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
              {t('rosterSync.upload.submit')}
            </button>
          </div>
        </Form>
      </div>

      <div className="card mt-4 overflow-x-auto p-0 sm:p-0">
        <table className="w-full border-collapse text-left text-sm sm:text-base" data-testid="sync-history">
          <caption className="px-3 py-2 text-left font-semibold">{t('rosterSync.history.caption')}</caption>
          <thead className="sticky top-0 bg-slate-100">
            <tr>
              <th scope="col" className="px-3 py-2">
                {t('rosterSync.history.when')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('rosterSync.history.who')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('rosterSync.history.source')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('rosterSync.history.kind')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('rosterSync.history.region')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('rosterSync.history.file')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('rosterSync.history.rows')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('rosterSync.history.result')}
              </th>
            </tr>
          </thead>
          <tbody>
            {history.rows.map((run) => (
              <tr key={run.id} className="border-t border-slate-200 align-top">
                <td className="whitespace-nowrap px-3 py-2">
                  <Link to={`/admin/roster-sync/${run.id}`}>{t.dateTime(run.appliedAt ?? run.createdAt)}</Link>
                </td>
                <td className="px-3 py-2">{run.appliedBy ?? run.createdBy}</td>
                <td className="px-3 py-2">{run.sourceName}</td>
                <td className="px-3 py-2">{t(run.kind === 'orgs' ? 'rosterSync.kind.orgs' : 'rosterSync.kind.mediators')}</td>
                <td className="px-3 py-2">{run.regionName}</td>
                <td className="break-all px-3 py-2">
                  {run.fileName}
                  <br />
                  <span className="font-mono text-xs text-slate-600" title={run.checksum}>
                    {run.checksum.slice(0, 12)}
                  </span>
                </td>
                <td className="px-3 py-2">{run.totalRows}</td>
                <td className="px-3 py-2">
                  {t(STATUS_LABELS[run.status])}
                  {run.status === 'applied' ? (
                    <>
                      {' · '}
                      {run.applied.created + run.applied.changed + run.applied.deactivated === 0
                        ? t('rosterSync.result.noChanges')
                        : t('rosterSync.result.counts', run.applied)}
                    </>
                  ) : null}
                  {run.status !== 'applied' && run.errors > 0 ? <> · {t('rosterSync.history.errors', { count: run.errors })}</> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.rows.length === 0 ? <p className="px-3 py-2">{t('rosterSync.history.empty')}</p> : null}
        <p className="flex flex-wrap items-center gap-4 px-3 py-2 text-sm text-slate-600">
          <span>{t('table.total', { count: history.total })}</span>
          {page > 1 ? <Link to={`?page=${page - 1}`}>{t('table.previous')}</Link> : null}
          {page < pages ? <Link to={`?page=${page + 1}`}>{t('table.next')}</Link> : null}
        </p>
      </div>
    </>
  )
}
