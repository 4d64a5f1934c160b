import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { actorOf, may, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { formatLabel, kindLabel } from '#app/modules/training/labels.ts'
import { attendanceSchema } from '#app/modules/training/session-schemas.ts'
import { getSession, listAttendees, mediatorByCard, recordAttendance, removeAttendance } from '#app/modules/training/sessions.server.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.session.title) : [])

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
  const { scope: _scope, ...shown } = session
  return { session: shown, attendees: await listAttendees(getDb(), session.id) }
}

/** Records one attendee by work-card number (持证上岗证号); the mediator must be in the user's scope. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, session } = await sessionFor(request, params.sessionId)
  const form = await request.formData()
  if (form.get('intent') === 'remove') {
    // An attendance recorded by mistake: its credited hours go with it, so it is audited.
    const db = getDb()
    const recordId = String(form.get('recordId') ?? '')
    const removed = await db.transaction().execute(async (trx) => {
      const personId = await removeAttendance(trx, session.id, recordId)
      if (personId) {
        await audit(trx, request, actorOf(user), {
          action: 'training.attendance_removed',
          recordType: 'training_session',
          recordId: session.id,
          detail: { personId, hours: session.hours },
        })
      }
      return personId
    })
    return redirectWithFlash(`/training/sessions/${session.id}`, {
      kind: removed ? 'success' : 'error',
      message: removed ? 'training.session.attendanceRemoved' : 'training.session.attendanceGone',
    })
  }
  const submission = parseWithZod(form, { schema: attendanceSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const db = getDb()
  const mediator = await mediatorByCard(db, submission.value.cardNumber)
  // Unknown and out-of-scope mediators get the same answer: nothing leaks about who exists elsewhere.
  if (
    !mediator ||
    !may(user, 'training:manage', { regionPath: mediator.region_path, orgId: mediator.org_id, personId: mediator.person_id })
  ) {
    return data(submission.reply({ fieldErrors: { cardNumber: ['training.session.unknownCard'] } }), { status: 400 })
  }
  const added = await recordAttendance(db, session, mediator.person_id, submission.value.assessment || null, user.userId)
  if (!added) return data(submission.reply({ fieldErrors: { cardNumber: ['training.session.alreadyRecorded'] } }), { status: 400 })
  await audit(db, request, actorOf(user), {
    action: 'training.attendance_recorded',
    recordType: 'training_session',
    recordId: session.id,
    detail: { personId: mediator.person_id },
  })
  return redirectWithFlash(`/training/sessions/${session.id}`, {
    kind: 'success',
    message: 'training.session.attendanceRecorded',
    params: { name: mediator.name },
  })
}

export default function TrainingSessionPage() {
  const t = useT()
  const { session, attendees } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'attendance',
    lastResult,
    constraint: getZodConstraint(attendanceSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: attendanceSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <PageHeader
        title={session.title}
        crumbs={[{ label: t('training.session.listTitle'), to: '/training/sessions' }, { label: session.title }]}
        actions={
          <Link to={`/training/sessions/${session.id}/edit`} className="btn-secondary">
            {t('training.session.edit')}
          </Link>
        }
      />
      <div className="card mb-4">
        <p>
          {t(kindLabel(session.kind))} · {t(formatLabel(session.format))} · {session.organiser}（
          {t(`training.level.${session.organiserLevel}`)}）
        </p>
        <p className="text-slate-700">
          {t.date(session.startDate)}–{t.date(session.endDate)} · {t('training.catalogue.hours', { hours: session.hours })} ·{' '}
          {session.regionName}
          {session.location ? ` · ${session.location}` : ''}
          {session.trainer ? ` · ${t('training.session.trainer')}：${session.trainer}` : ''}
        </p>
      </div>
      <section className="card mb-4">
        <h2 className="mb-2 text-lg">{t('training.session.addAttendee')}</h2>
        <Form method="post" {...getFormProps(form)} className="grid gap-3 md:grid-cols-3 md:items-end">
          <input type="hidden" name="intent" value="attend" />
          <div className="md:col-span-3">
            <FormErrors errors={form.errors} />
          </div>
          <TextField meta={fields.cardNumber} label={t('training.session.cardNumber')} required />
          <TextField meta={fields.assessment} label={t('training.session.assessment')} />
          <div>
            <button type="submit" className="btn-primary">
              {t('training.session.record')}
            </button>
          </div>
        </Form>
        <p className="mt-3">
          <Link to={`/training/sessions/${session.id}/import`} className="btn-secondary">
            {t('training.attendanceImport.open')}
          </Link>
        </p>
      </section>
      <section className="card">
        <h2 className="mb-2 text-lg">{t('training.session.attendeeCount', { count: attendees.length })}</h2>
        <ul className="divide-y divide-slate-200" data-testid="attendees">
          {attendees.map((a) => (
            <li key={a.recordId} className="flex flex-wrap justify-between gap-2 py-2">
              <Link to={`/training/archive/${a.personId}`}>{a.name}</Link>
              <span className="flex items-center gap-3 text-sm text-slate-600">
                <span>
                  {a.orgName ?? ''}
                  {a.assessment ? ` · ${a.assessment}` : ''}
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="recordId" value={a.recordId} />
                  <button
                    type="submit"
                    className="text-red-700 underline"
                    aria-label={t('training.session.removeAttendee', { name: a.name })}
                  >
                    {t('training.session.remove')}
                  </button>
                </Form>
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
