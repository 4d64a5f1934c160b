import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { sessionEditSchema } from '#app/modules/training/session-schemas.ts'
import { SessionFields } from '#app/modules/training/session-fields.tsx'
import { deleteSession, getSession, updateSession } from '#app/modules/training/sessions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.session.edit')

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
  return { session: shown }
}

/** Save corrections (version-checked; attendees' records follow) or delete a session nobody attended. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, session } = await sessionFor(request, params.sessionId)
  const form = await request.formData()
  const db = getDb()
  if (form.get('intent') === 'delete') {
    const version = Number(form.get('version'))
    const outcome = await db.transaction().execute(async (trx) => {
      const result = await deleteSession(trx, session.id, Number.isInteger(version) ? version : -1)
      if (result === 'deleted') {
        await audit(trx, request, actorOf(user), {
          action: 'training.session_deleted',
          recordType: 'training_session',
          recordId: session.id,
          detail: { title: session.title, startDate: session.startDate },
        })
      }
      return result
    })
    if (outcome === 'deleted') return redirectWithFlash('/training/sessions', { kind: 'success', message: 'training.session.deleted' })
    return redirectWithFlash(`/training/sessions/${session.id}/edit`, {
      kind: 'error',
      message: outcome === 'hasAttendance' ? 'training.session.deleteHasAttendance' : 'form.staleVersion',
    })
  }
  const submission = parseWithZod(form, { schema: sessionEditSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const outcome = await db.transaction().execute(async (trx) => {
    const result = await updateSession(trx, session.id, submission.value)
    if (result === 'saved') {
      const { intent: _intent, version: _version, ...after } = submission.value
      await audit(trx, request, actorOf(user), {
        action: 'training.session_updated',
        recordType: 'training_session',
        recordId: session.id,
        detail: {
          before: { title: session.title, hours: session.hours, startDate: session.startDate, endDate: session.endDate },
          after,
          attendees: session.attendees,
        },
      })
    }
    return result
  })
  if (outcome === 'stale') return data(submission.reply({ formErrors: ['form.staleVersion'] }), { status: 409 })
  return redirectWithFlash(`/training/sessions/${session.id}`, { kind: 'success', message: 'training.session.saved' })
}

export default function EditTrainingSession() {
  const t = useT()
  const { session } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'training-session-edit',
    lastResult,
    constraint: getZodConstraint(sessionEditSchema),
    defaultValue: {
      title: session.title,
      kind: session.kind,
      format: session.format,
      organiser: session.organiser,
      organiserLevel: session.organiserLevel,
      startDate: session.startDate,
      endDate: session.endDate,
      hours: String(session.hours),
      trainer: session.trainer ?? '',
      location: session.location ?? '',
      version: String(session.version),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: sessionEditSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <PageHeader
        title={t('training.session.edit')}
        crumbs={[
          { label: t('training.session.listTitle'), to: '/training/sessions' },
          { label: session.title, to: `/training/sessions/${session.id}` },
          { label: t('training.session.edit') },
        ]}
      />
      <Form method="post" {...getFormProps(form)} className="card mb-4 grid gap-4 md:grid-cols-2">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name={fields.version.name} value={fields.version.initialValue ?? String(session.version)} />
        <div className="md:col-span-2">
          <FormErrors errors={form.errors} />
        </div>
        {session.attendees > 0 ? (
          <p className="text-sm text-slate-700 md:col-span-2">{t('training.session.editFollows', { count: session.attendees })}</p>
        ) : null}
        <SessionFields fields={fields} />
        <div className="flex gap-2 md:col-span-2">
          <button type="submit" className="btn-primary">
            {t('form.save')}
          </button>
          <Link to={`/training/sessions/${session.id}`} className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
      <Form method="post" className="card">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="version" value={session.version} />
        <h2 className="mb-2 text-lg">{t('training.session.delete')}</h2>
        <p className="mb-2 text-slate-700">
          {session.attendees > 0 ? t('training.session.deleteHasAttendance') : t('training.session.deleteHint')}
        </p>
        <button type="submit" className="btn-danger" disabled={session.attendees > 0}>
          {t('training.session.delete')}
        </button>
      </Form>
    </>
  )
}
