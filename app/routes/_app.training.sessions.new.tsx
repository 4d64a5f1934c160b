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
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, may, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { regionPathOf, regionsInScope } from '#app/modules/regions/regions.server.ts'
import { sessionSchema } from '#app/modules/training/session-schemas.ts'
import { SessionFields } from '#app/modules/training/session-fields.tsx'
import { createSession } from '#app/modules/training/sessions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.session.new')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const regions = await regionsInScope(getDb(), scopeFor(user, 'training:manage'))
  return { regions: regions.map((r) => ({ value: r.code, label: `${'　'.repeat(r.depth)}${r.name}` })) }
}

/**
 * The session belongs to the chosen region; an organisation manager's session also belongs to
 * their organisation (so it stays in their scope). The region must be within the user's reach.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const submission = parseWithZod(await request.formData(), { schema: sessionSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const db = getDb()
  const regionPath = await regionPathOf(db, submission.value.regionCode)
  const orgGrant = user.grants.find((g) => g.role === 'org_manager' && g.regionCode === submission.value.regionCode)
  const orgId = may(user, 'training:manage', { regionPath }) ? null : (orgGrant?.orgId ?? null)
  if (!regionPath || !may(user, 'training:manage', { regionPath, orgId })) {
    return data(submission.reply({ fieldErrors: { regionCode: ['validation.choice'] } }), { status: 400 })
  }
  const id = await createSession(db, submission.value, orgId, user.userId)
  await audit(db, request, actorOf(user), {
    action: 'training.session_created',
    recordType: 'training_session',
    recordId: id,
    detail: { title: submission.value.title },
  })
  return redirectWithFlash(`/training/sessions/${id}`, { kind: 'success', message: 'training.session.created' })
}

export default function NewTrainingSession() {
  const t = useT()
  const { regions } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'training-session',
    lastResult,
    constraint: getZodConstraint(sessionSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: sessionSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <PageHeader
        title={t('training.session.new')}
        crumbs={[{ label: t('training.session.listTitle'), to: '/training/sessions' }, { label: t('training.session.new') }]}
      />
      <Form method="post" {...getFormProps(form)} className="card grid gap-4 md:grid-cols-2">
        <div className="md:col-span-2">
          <FormErrors errors={form.errors} />
        </div>
        <SessionFields fields={fields} regions={regions} />
        <div className="flex gap-2 md:col-span-2">
          <button type="submit" className="btn-primary">
            {t('form.save')}
          </button>
          <Link to="/training/sessions" className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
    </>
  )
}
