import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextareaField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { type AuthUser, actorOf, may, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { recordActionSchema, rejectSchema } from '#app/modules/training/external.ts'
import { getExternalRecord, reviewExternalRecord, withdrawExternalRecord } from '#app/modules/training/external.server.ts'
import { formatLabel, kindLabel, recordStatusLabel } from '#app/modules/training/labels.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.record.title) : [])

/** The claimant and reviewers in scope see the record; 404 for anyone else (logged). */
async function recordFor(request: Request, id: string | undefined) {
  const user = await requirePermission(request, 'training:view')
  const found = await getExternalRecord(getDb(), id ?? '')
  if (!found) notFound()
  await requireRecordAccess(request, user, 'training:view', { type: 'training_record', id: found.record.id, ...found.scope })
  return { user, ...found }
}

function abilities(user: AuthUser, found: Awaited<ReturnType<typeof recordFor>>) {
  const pending = found.record.status === 'pending'
  return {
    review: pending && may(user, 'training:manage', found.scope),
    withdraw: pending && user.personId === found.record.personId,
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await recordFor(request, params.recordId)
  return { record: found.record, can: abilities(found.user, found) }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const found = await recordFor(request, params.recordId)
  const { user, record } = found
  const form = await request.formData()
  const db = getDb()
  if (form.get('intent') === 'withdraw') {
    if (user.personId !== record.personId) notFound()
  } else {
    // Deciding needs training:manage over the claimant (their org manager, bureau staff in scope).
    await requireRecordAccess(request, user, 'training:manage', { type: 'training_record', id: record.id, ...found.scope })
    // No one approves their own claim, even when they also hold a manager's grant.
    if (user.personId === record.personId) notFound()
  }
  const submission = parseWithZod(form, { schema: recordActionSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const input = submission.value
  // Decided or withdrawn since the form was loaded: say so on the page as it is now, change nothing.
  const stale = () => data(submission.reply({ formErrors: ['training.external.alreadyDecided'] }), { status: 409 })
  if (input.intent === 'withdraw') {
    const removed = await withdrawExternalRecord(db, request, actorOf(user), record.id, record.personId, input.version)
    if (!removed) return stale()
    return redirectWithFlash(`/training/archive/${record.personId}`, { kind: 'success', message: 'training.external.withdrawn' })
  }
  const decision = input.intent === 'approve' ? { approve: true as const } : { approve: false as const, reason: input.reason }
  const outcome = await reviewExternalRecord(db, request, actorOf(user), record.id, input.version, decision)
  if (outcome === 'stale') return stale()
  return redirectWithFlash('/training/external', {
    kind: 'success',
    message: decision.approve ? 'training.external.approved' : 'training.external.rejected',
    params: { title: record.title },
  })
}

export default function ExternalRecordPage() {
  const t = useT()
  const { record, can } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'external-review',
    lastResult,
    constraint: getZodConstraint(rejectSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rejectSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <PageHeader
        title={record.title}
        crumbs={[{ label: t('training.archive.title'), to: `/training/archive/${record.personId}` }, { label: record.title }]}
      />
      <FormErrors errors={form.errors} />
      <dl className="card mb-4 grid gap-x-4 gap-y-2 sm:grid-cols-[10rem_1fr]" data-testid="external-record">
        <dt className="text-slate-600">{t('training.external.claimant')}</dt>
        <dd>
          {record.personName}
          {record.orgName ? ` · ${record.orgName}` : ''}
        </dd>
        <dt className="text-slate-600">{t('training.external.provider')}</dt>
        <dd>{record.provider}</dd>
        <dt className="text-slate-600">{t('training.archive.kind')}</dt>
        <dd>
          {t(kindLabel(record.kind))} · {t(formatLabel(record.format))}
        </dd>
        <dt className="text-slate-600">{t('training.external.dates')}</dt>
        <dd>
          {record.startDate ? `${t.date(record.startDate)}–` : ''}
          {t.date(record.endDate)}
        </dd>
        <dt className="text-slate-600">{t('training.archive.hours')}</dt>
        <dd>{t('training.catalogue.hours', { hours: record.hours })}</dd>
        {record.assessment ? (
          <>
            <dt className="text-slate-600">{t('training.session.assessment')}</dt>
            <dd>{record.assessment}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">{t('training.external.status')}</dt>
        <dd data-testid="external-status">{t(recordStatusLabel(record.status))}</dd>
        {record.decision ? (
          <>
            <dt className="text-slate-600">{t('training.external.decidedAt')}</dt>
            <dd>
              {t.dateTime(record.decision.at)}
              {record.decision.by ? ` · ${record.decision.by}` : ''}
            </dd>
          </>
        ) : null}
        {record.decision?.reason ? (
          <>
            <dt className="text-slate-600">{t('training.external.reason')}</dt>
            <dd data-testid="external-reason">{record.decision.reason}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">{t('training.external.proof')}</dt>
        <dd>
          {record.proofType ? (
            <a href={`/training/external/${record.id}/proof`} target="_blank" rel="noreferrer" data-testid="proof-link">
              {t('training.external.openProof', { type: record.proofType.toUpperCase() })}
            </a>
          ) : (
            t('training.external.noProof')
          )}
        </dd>
      </dl>
      {can.review ? (
        <section className="card mb-4">
          <h2 className="mb-2 text-lg">{t('training.external.review')}</h2>
          <Form method="post" className="mb-4">
            <input type="hidden" name="intent" value="approve" />
            <input type="hidden" name="version" value={record.version} />
            <button type="submit" className="btn-primary">
              {t('training.external.approve')}
            </button>
          </Form>
          <Form method="post" {...getFormProps(form)} className="space-y-2">
            <input type="hidden" name="intent" value="reject" />
            <input type="hidden" name="version" value={record.version} />
            <TextareaField meta={fields.reason} label={t('training.external.reason')} rows={3} required />
            <button type="submit" className="btn-danger">
              {t('training.external.reject')}
            </button>
          </Form>
        </section>
      ) : null}
      {can.withdraw ? (
        <Form method="post" className="card mb-4">
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="version" value={record.version} />
          <p className="mb-2 text-slate-700">{t('training.external.withdrawHint')}</p>
          <button type="submit" className="btn-secondary">
            {t('training.external.withdraw')}
          </button>
        </Form>
      ) : null}
      <p>
        <Link to={`/training/archive/${record.personId}`}>{t('training.external.backToArchive')}</Link>
      </p>
    </>
  )
}
