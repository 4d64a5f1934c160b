import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextareaField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf } from '#app/modules/auth/authz.server.ts'
import { objectionDecisionSchema } from '#app/modules/grading/notice-schemas.ts'
import { statusLabel, upheldOutcome } from '#app/modules/grading/notice.ts'
import { contestableApplications, decideObjection, getObjection, objectionContact } from '#app/modules/grading/objections.server.ts'
import { requireRoundAccess } from '#app/modules/grading/round-scope.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.objections.title')

async function load(request: Request, params: { roundId?: string; objectionId?: string }) {
  const db = getDb()
  const { user, loaded } = await requireRoundAccess(request, db, 'grading:manage', params.roundId)
  const objection = await getObjection(db, loaded, params.objectionId ?? '')
  if (!objection) notFound()
  return { db, user, loaded, objection }
}

/** One objection: what was filed, and (while the round is in notice) the investigation and decision form. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, loaded, objection } = await load(request, params)
  const decidable = loaded.round.status === 'notice' && objection.status === 'open'
  const candidates = decidable && !objection.applicationId ? await contestableApplications(db, loaded) : []
  return {
    round: { id: loaded.round.id, title: loaded.round.title },
    objection,
    decidable,
    effect: objection.applicationStatus ? upheldOutcome(objection.applicationStatus) : null,
    candidates: candidates.map((c) => ({ value: c.id, name: `${c.gradeName}：${c.name}`, status: c.status })),
  }
}

const ERRORS = {
  closed: 'gradingNotice.objections.closed',
  stale: 'gradingNotice.objections.stale',
  reasonRequired: 'gradingNotice.objections.reasonRequired',
  application: 'gradingNotice.object.application',
} as const

/** `intent=reveal` shows the filer's full contact (audited); otherwise the decision. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, loaded, objection } = await load(request, params)
  const form = await request.formData()
  if (form.get('intent') === 'reveal') {
    const contact = await objectionContact(db, objection.id)
    await audit(db, request, actorOf(user), {
      action: 'grading.objection_contact_revealed',
      recordType: 'grading_objection',
      recordId: objection.id,
      detail: { masked: objection.contactMasked },
    })
    return { contact }
  }
  const submission = parseWithZod(form, { schema: objectionDecisionSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const result = await decideObjection(db, request, { ...actorOf(user), userId: user.userId }, loaded, objection, submission.value)
  if (!result.ok) {
    if (result.error === 'reasonRequired') {
      return data(submission.reply({ fieldErrors: { outcomeReason: [ERRORS.reasonRequired] } }), { status: 400 })
    }
    if (result.error === 'application')
      return data(submission.reply({ fieldErrors: { applicationId: [ERRORS.application] } }), { status: 400 })
    return data(submission.reply({ formErrors: [ERRORS[result.error]] }), { status: 409 })
  }
  const to = `/grading/rounds/${loaded.round.id}/objections`
  if (result.changed) {
    const person = await db
      .selectFrom('grading_applications as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select('p.name')
      .where('a.id', '=', result.changed.applicationId)
      .executeTakeFirst()
    const message =
      result.changed.to === 'proposed' ? 'gradingNotice.objections.changedToProposed' : 'gradingNotice.objections.changedToNotAwarded'
    return redirectWithFlash(to, { kind: 'success', message, params: { name: person?.name ?? '' } })
  }
  return redirectWithFlash(to, { kind: 'success', message: 'gradingNotice.objections.saved' })
}

export default function ObjectionPage() {
  const t = useT()
  const { round, objection: o, decidable, effect, candidates } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const revealed = actionData && 'contact' in actionData ? actionData.contact : null
  const lastResult = actionData && !('contact' in actionData) ? actionData : undefined
  const [form, fields] = useForm({
    id: `objection-${o.id}`,
    lastResult,
    constraint: getZodConstraint(objectionDecisionSchema),
    defaultValue: { decision: 'dismissed', version: String(o.version) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: objectionDecisionSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <PageHeader
        title={t('gradingNotice.objections.title')}
        crumbs={[
          { label: round.title, to: `/grading/rounds/${round.id}` },
          { label: t('gradingNotice.objections.title'), to: `/grading/rounds/${round.id}/objections` },
          { label: o.filerName },
        ]}
      />
      <section className="card mb-4 space-y-3" data-testid="objection">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
          <dt className="text-slate-600">{t('gradingNotice.objections.status')}</dt>
          <dd data-testid="objection-status">{t(`gradingNotice.objections.status.${o.status}`)}</dd>
          <dt className="text-slate-600">{t('gradingNotice.objections.filedAt')}</dt>
          <dd>{t.dateTime(o.createdAt)}</dd>
          <dt className="text-slate-600">{t('gradingNotice.objections.filer')}</dt>
          <dd>{o.filerName}</dd>
          <dt className="text-slate-600">{t('gradingNotice.objections.contact')}</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <span data-testid="objection-contact">{revealed ?? o.contactMasked}</span>
            {revealed ? null : (
              <Form method="post">
                <input type="hidden" name="intent" value="reveal" />
                <button type="submit" className="btn-secondary px-2 py-0.5 text-sm">
                  {t('common.view')}
                </button>
              </Form>
            )}
          </dd>
          <dt className="text-slate-600">{t('gradingNotice.objections.target')}</dt>
          <dd>
            {o.applicantName
              ? `${o.gradeName ?? ''}：${o.applicantName}（${o.applicationStatus ? t(statusLabel(o.applicationStatus)) : ''}）`
              : t('gradingNotice.objections.roundWide')}
          </dd>
          {o.hasAttachment ? (
            <>
              <dt className="text-slate-600">{t('gradingNotice.objections.attachment')}</dt>
              <dd>
                <a href={`/grading/rounds/${round.id}/objections/${o.id}/attachment`} download>
                  {t('gradingNotice.objections.download', { name: o.attachmentName ?? '' })}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
        <h2 className="text-lg font-semibold">{t('gradingNotice.objections.grounds')}</h2>
        <p className="whitespace-pre-wrap">{o.grounds}</p>
      </section>
      {o.status !== 'open' ? (
        <section className="card space-y-2" data-testid="objection-decision">
          <p>
            {t('gradingNotice.objections.decidedAt')}：{o.decidedAt ? t.dateTime(o.decidedAt) : ''}
          </p>
          <h2 className="font-semibold">{t('gradingNotice.objections.investigation')}</h2>
          <p className="whitespace-pre-wrap">{o.investigation}</p>
          <h2 className="font-semibold">{t('gradingNotice.objections.response')}</h2>
          <p className="whitespace-pre-wrap">{o.response}</p>
        </section>
      ) : decidable ? (
        <Form method="post" {...getFormProps(form)} className="card space-y-4">
          <FormErrors errors={form.errors} />
          <input type="hidden" name="version" value={o.version} />
          <TextareaField meta={fields.investigation} label={t('gradingNotice.objections.investigation')} required rows={5} />
          <TextareaField meta={fields.response} label={t('gradingNotice.objections.response')} required rows={5} />
          <fieldset>
            <legend className="label">{t('gradingNotice.objections.decision')}</legend>
            <div className="flex flex-wrap gap-4">
              {(['dismissed', 'upheld'] as const).map((d) => (
                <label key={d} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name={fields.decision.name}
                    value={d}
                    defaultChecked={(fields.decision.initialValue ?? 'dismissed') === d}
                  />
                  {t(`gradingNotice.objections.status.${d}`)}
                </label>
              ))}
            </div>
          </fieldset>
          {o.applicationId ? (
            <p className="text-sm text-slate-700">
              {effect === 'not_awarded'
                ? t('gradingNotice.objections.effect.exclude')
                : effect === 'proposed'
                  ? t('gradingNotice.objections.effect.include')
                  : t('gradingNotice.objections.effect.none')}
            </p>
          ) : (
            <SelectField
              meta={fields.applicationId}
              label={t('gradingNotice.objections.target')}
              options={candidates.map((c) => ({ value: c.value, label: `${c.name}（${t(statusLabel(c.status))}）` }))}
              placeholder={t('gradingNotice.objections.roundWide')}
            />
          )}
          <TextField
            meta={fields.outcomeReason}
            label={t('gradingNotice.objections.outcomeReason')}
            hint={t('gradingNotice.objections.outcomeReasonHint')}
          />
          <button type="submit" className="btn-primary">
            {t('gradingNotice.objections.save')}
          </button>
        </Form>
      ) : (
        <p className="card">{t('gradingNotice.objections.closed')}</p>
      )}
      <p className="mt-4">
        <Link to={`/grading/rounds/${round.id}/objections`}>{t('common.back')}</Link>
      </p>
    </>
  )
}
