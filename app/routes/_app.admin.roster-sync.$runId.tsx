import { getFormProps, getSelectProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { fields as fieldTypes, z } from '#app/lib/validation.ts'
import { requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { specsFor } from '#app/modules/roster-sync/fields.ts'
import type { ColumnMapping } from '#app/modules/roster-sync/mapping.ts'
import { applyRun, discardRun, loadRun, mappingChoices, previewRun, refreshPreview } from '#app/modules/roster-sync/sync.server.ts'
import { ErrorTable, ReportTables, STATUS_LABELS } from '#app/modules/roster-sync/ui.tsx'
import type { RosterRunKind } from '#db/schema.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'rosterSync.run.title')

/** A run of the history; one whose region lies outside the user's scope answers 404 (logged). */
async function requireRun(request: Request, runId: string) {
  const user = await requirePermission(request, 'roster:sync')
  const run = await loadRun(getDb(), runId)
  if (!run) notFound()
  await requireRecordAccess(request, user, 'roster:sync', { type: 'roster_run', id: run.id, regionPath: run.regionPath })
  return { user, run }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { run } = await requireRun(request, params.runId ?? '')
  const remap = new URL(request.url).searchParams.has('remap')
  const needsMapping = run.status === 'uploaded' || (run.status === 'previewed' && remap)
  const mapping = needsMapping ? await mappingChoices(getDb(), run) : null
  const { regionPath: _path, ...visible } = run
  return { run: visible, mapping }
}

function previewSchema(kind: RosterRunKind) {
  const columns = Object.fromEntries(
    specsFor(kind).map((s) => [
      s.field,
      z
        .string()
        .regex(/^\d{1,4}$/, 'validation.choice')
        .optional(),
    ]),
  )
  return z.object({ intent: z.literal('preview'), ...columns })
}

const applySchema = z.object({
  intent: z.literal('apply'),
  version: fieldTypes.version(),
  deactivateMissing: z.literal('on').optional(),
})

const discardSchema = z.object({ intent: z.literal('discard') })

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, run } = await requireRun(request, params.runId ?? '')
  const db = getDb()
  const here = `/admin/roster-sync/${run.id}`
  const form = await request.formData()
  const intent = form.get('intent')
  if (intent === 'preview') {
    const submission = parseWithZod(form, { schema: previewSchema(run.kind) })
    if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
    const mapping: ColumnMapping = {}
    for (const spec of specsFor(run.kind)) {
      const value = (submission.value as Record<string, string | undefined>)[spec.field]
      mapping[spec.field] = value === undefined ? null : Number(value)
    }
    const outcome = await previewRun(db, run, mapping)
    if (!outcome.ok && 'fieldErrors' in outcome) return data(submission.reply({ fieldErrors: outcome.fieldErrors }), { status: 400 })
    if (!outcome.ok) return redirectWithFlash(here, { kind: 'error', message: 'rosterSync.apply.state' })
    return redirect(here)
  }
  if (intent === 'apply') {
    const submission = parseWithZod(form, { schema: applySchema })
    if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
    const outcome = await applyRun(db, request, user, run.id, {
      deactivateMissing: submission.value.deactivateMissing === 'on',
      expectedVersion: submission.value.version,
    })
    if (outcome.ok) {
      const none = outcome.created + outcome.changed + outcome.deactivated === 0
      return redirectWithFlash(here, {
        kind: 'success',
        message: none ? 'rosterSync.apply.noChanges' : 'rosterSync.apply.done',
        params: { created: outcome.created, changed: outcome.changed, deactivated: outcome.deactivated },
      })
    }
    if (outcome.error === 'errors') {
      return data(submission.reply({ formErrors: [messageRef('rosterSync.apply.refusedErrors', { count: outcome.count })] }), {
        status: 400,
      })
    }
    if (outcome.error === 'stale') {
      const current = await loadRun(db, run.id)
      if (current?.status === 'previewed') await refreshPreview(db, current)
      return redirectWithFlash(here, { kind: 'error', message: 'rosterSync.apply.stale' })
    }
    return redirectWithFlash(here, { kind: 'error', message: 'rosterSync.apply.state' })
  }
  const submission = parseWithZod(form, { schema: discardSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  if (!(await discardRun(db, run.id))) return redirectWithFlash(here, { kind: 'error', message: 'rosterSync.apply.state' })
  return redirectWithFlash('/admin/roster-sync', { kind: 'info', message: 'rosterSync.flash.discarded' })
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

function MappingForm({ run, mapping }: { run: LoaderData['run']; mapping: NonNullable<LoaderData['mapping']> }) {
  const t = useT()
  const navigation = useNavigation()
  const lastResult = useActionData<typeof action>()
  const defaultValue = Object.fromEntries(
    Object.entries(mapping.mapping).map(([field, index]) => [field, index === null || index === undefined ? '' : String(index)]),
  )
  const [form, fields] = useForm<Record<string, string>>({ id: 'roster-mapping', lastResult, defaultValue, shouldValidate: 'onSubmit' })
  return (
    <div className="card mt-4">
      <h2 className="text-lg font-semibold">{t('rosterSync.mapping.title')}</h2>
      <p className="mb-4 text-slate-700">{t('rosterSync.mapping.intro')}</p>
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-4" data-testid="sync-mapping">
        <FormErrors errors={form.errors} />
        <div className="grid gap-4 md:grid-cols-2">
          {specsFor(run.kind).map((spec) => {
            const meta = fields[spec.field]
            if (!meta) return null
            return (
              <div key={spec.field}>
                <label className="label" htmlFor={meta.id}>
                  {t(spec.label)}
                  {spec.required ? (
                    <span className="ml-1 text-red-700">
                      *<span className="sr-only">{t('form.required')}</span>
                    </span>
                  ) : null}
                </label>
                <select {...getSelectProps(meta)} className="input" data-field={spec.field}>
                  <option value="">{t('rosterSync.mapping.notMapped')}</option>
                  {mapping.headers.map((header, index) => (
                    <option key={`${index}-${header}`} value={String(index)}>
                      {header || `#${index + 1}`}
                    </option>
                  ))}
                </select>
                {meta.errors?.length ? (
                  <div id={meta.errorId} className="field-error">
                    {meta.errors.map((e) => (
                      <p key={e}>{t.ref(e)}</p>
                    ))}
                  </div>
                ) : null}
              </div>
            )
          })}
        </div>
        <details>
          <summary className="cursor-pointer">{t('rosterSync.run.rows')}</summary>
          <ul className="mt-2 list-disc pl-6 text-sm text-slate-700">
            {mapping.headers.map((header, index) => (
              <li key={`${index}-${header}`}>
                {header || `#${index + 1}`}:{' '}
                {t('rosterSync.mapping.samples', { values: mapping.samples[index]!.filter(Boolean).join('、') })}
              </li>
            ))}
          </ul>
        </details>
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="preview" className="btn-primary" disabled={navigation.state === 'submitting'}>
            {t('rosterSync.mapping.submit')}
          </button>
          {run.status === 'previewed' ? (
            <Link to="." className="btn-secondary">
              {t('rosterSync.mapping.cancel')}
            </Link>
          ) : null}
        </div>
      </Form>
    </div>
  )
}

function ApplyForm({ run }: { run: LoaderData['run'] }) {
  const t = useT()
  const navigation = useNavigation()
  const lastResult = useActionData<typeof action>()
  const [form] = useForm({ id: 'roster-apply', lastResult, shouldValidate: 'onSubmit' })
  const blocked = run.counts.errors > 0
  return (
    <div className="card mt-4 flex flex-col gap-3">
      <FormErrors errors={form.errors} />
      {blocked ? (
        <p className="font-semibold text-red-800" id="apply-blocked">
          {t('rosterSync.apply.blocked', { count: run.counts.errors })}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="flex flex-col gap-3">
        <input type="hidden" name="version" value={run.version} />
        {run.counts.missing > 0 ? (
          <div>
            <label className="flex items-start gap-2">
              <input type="checkbox" name="deactivateMissing" className="mt-1.5" />
              <span>{t('rosterSync.apply.deactivateMissing', { count: run.counts.missing })}</span>
            </label>
            <p className="field-hint">{t('rosterSync.apply.deactivateHint')}</p>
          </div>
        ) : null}
        <div className="flex flex-wrap gap-3">
          <button
            type="submit"
            name="intent"
            value="apply"
            className="btn-primary"
            disabled={navigation.state === 'submitting'}
            aria-describedby={blocked ? 'apply-blocked' : undefined}
          >
            {t('rosterSync.apply.submit')}
          </button>
          <Link to="?remap=1" className="btn-secondary">
            {t('rosterSync.mapping.change')}
          </Link>
        </div>
      </Form>
      <Form method="post">
        <button type="submit" name="intent" value="discard" className="btn-secondary">
          {t('rosterSync.discard')}
        </button>
      </Form>
    </div>
  )
}

export default function RosterSyncRun() {
  const t = useT()
  const { run, mapping } = useLoaderData<typeof loader>()
  const kindLabel = t(run.kind === 'orgs' ? 'rosterSync.kind.orgs' : 'rosterSync.kind.mediators')
  const showReport = run.status === 'previewed' || run.status === 'applied'
  return (
    <>
      <PageHeader
        title={t('rosterSync.run.title')}
        crumbs={[{ label: t('rosterSync.title'), to: '/admin/roster-sync' }, { label: t('rosterSync.run.title') }]}
      />
      <div className="card">
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="text-slate-600">{t('rosterSync.run.status')}</dt>
          <dd data-testid="sync-status">{t(STATUS_LABELS[run.status])}</dd>
          <dt className="text-slate-600">{t('rosterSync.run.source')}</dt>
          <dd>{run.sourceName}</dd>
          <dt className="text-slate-600">{t('rosterSync.run.kind')}</dt>
          <dd>{kindLabel}</dd>
          <dt className="text-slate-600">{t('rosterSync.run.region')}</dt>
          <dd>{run.regionName}</dd>
          <dt className="text-slate-600">{t('rosterSync.run.file')}</dt>
          <dd className="break-all">{run.fileName}</dd>
          <dt className="text-slate-600">{t('rosterSync.run.checksum')}</dt>
          <dd className="break-all font-mono text-sm">{run.checksum}</dd>
          <dt className="text-slate-600">{t('rosterSync.run.uploaded')}</dt>
          <dd>
            {run.createdBy} · {t.dateTime(run.createdAt)}
          </dd>
          <dt className="text-slate-600">{t('rosterSync.run.rows')}</dt>
          <dd>{run.totalRows}</dd>
        </dl>
      </div>

      {run.status === 'applied' ? (
        <div className="card mt-4" data-testid="sync-result">
          <h2 className="font-semibold">{t('rosterSync.result.caption')}</h2>
          <p>{t('rosterSync.result.applied', { name: run.applied.by ?? '', at: t.dateTime(run.applied.at) })}</p>
          <p>
            {run.applied.created + run.applied.changed + run.applied.deactivated === 0
              ? t('rosterSync.result.noChanges')
              : t('rosterSync.result.counts', {
                  created: run.applied.created,
                  changed: run.applied.changed,
                  deactivated: run.applied.deactivated,
                })}
          </p>
          {run.counts.missing > 0 && !run.applied.deactivateMissing ? <p>{t('rosterSync.result.missingKept')}</p> : null}
        </div>
      ) : null}

      {showReport && !mapping ? (
        <ul className="card mt-4 flex flex-wrap gap-x-6 gap-y-1" data-testid="sync-summary">
          <li>{t('rosterSync.preview.summary.created', { count: run.counts.created })}</li>
          <li>{t('rosterSync.preview.summary.changed', { count: run.counts.changed })}</li>
          <li>{t('rosterSync.preview.summary.unchanged', { count: run.counts.unchanged })}</li>
          <li>{t('rosterSync.preview.summary.missing', { count: run.counts.missing })}</li>
          <li className={run.counts.errors ? 'font-semibold text-red-800' : ''}>
            {t('rosterSync.preview.summary.errors', { count: run.counts.errors })}
          </li>
        </ul>
      ) : null}

      {mapping ? <MappingForm run={run} mapping={mapping} /> : null}
      {run.status === 'previewed' && !mapping ? <ApplyForm run={run} /> : null}
      {showReport && !mapping ? (
        <>
          {run.status === 'previewed' && run.counts.created + run.counts.changed + run.counts.missing + run.counts.errors === 0 ? (
            <p className="card mt-4" data-testid="sync-no-changes">
              {t('rosterSync.preview.none')}
            </p>
          ) : null}
          <ReportTables report={run.report} />
        </>
      ) : null}
      {run.status === 'discarded' ? <ErrorTable report={run.report} /> : null}
      <p className="mt-4 flex flex-wrap gap-4">
        <Link to="/admin/roster-sync">{t('rosterSync.back')}</Link>
      </p>
    </>
  )
}
