import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { publicMediatorEntry } from '#app/modules/directory/directory.server.ts'
import { getMediatorPreferences, saveMediatorPreferences } from '#app/modules/directory/manage.server.ts'
import { mediatorPreferencesSchema } from '#app/modules/directory/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'directory.privacy.title')

/** The signed-in mediator's own person record (directory:self reaches only oneself). */
async function self(request: Request) {
  const user = await requirePermission(request, 'directory:self')
  if (!user.personId) notFound()
  return { user, personId: user.personId }
}

/**
 * A graded mediator chooses which optional fields the public directory shows: their organisation
 * and the grade's validity date (name and grade are public by the 公示). Shows the entry as the
 * directory shows it now.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { personId } = await self(request)
  const db = getDb()
  const [preferences, entry] = await Promise.all([getMediatorPreferences(db, personId), publicMediatorEntry(db, personId)])
  return { preferences, entry }
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, personId } = await self(request)
  const submission = parseWithZod(await request.formData(), { schema: mediatorPreferencesSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const result = await saveMediatorPreferences(getDb(), { request, actor: actorOf(user) }, personId, submission.value)
  if (!result.ok) return data(submission.reply({ formErrors: ['form.staleVersion'] }), { status: 409 })
  return redirectWithFlash('/account/directory', { kind: 'success', message: 'directory.privacy.saved' })
}

export default function DirectoryPrivacy() {
  const t = useT()
  const { preferences, entry } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form] = useForm({ id: 'directory-privacy', lastResult })
  return (
    <>
      <PageHeader
        title={t('directory.privacy.title')}
        crumbs={[{ label: t('account.title'), to: '/account' }, { label: t('directory.privacy.title') }]}
      />
      <div className="card mb-4 space-y-3">
        <p>{t('directory.privacy.intro')}</p>
        {entry ? (
          <div data-testid="directory-entry">
            <p className="font-semibold">{t('directory.privacy.listed')}</p>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-600">{t('directory.mediator.grade')}</dt>
              <dd>
                {entry.name} · {entry.gradeName}
              </dd>
              <dt className="text-slate-600">{t('directory.mediator.association')}</dt>
              <dd>{entry.associationName}</dd>
              <dt className="text-slate-600">{t('directory.mediator.org')}</dt>
              <dd>{entry.orgName ?? t('directory.mediator.hidden')}</dd>
              <dt className="text-slate-600">{t('directory.mediator.validUntil')}</dt>
              <dd>{entry.validUntil ? t.date(entry.validUntil) : t('directory.mediator.hidden')}</dd>
            </dl>
          </div>
        ) : (
          <p data-testid="directory-entry-none">{t('directory.privacy.notListed')}</p>
        )}
      </div>
      <Form method="post" {...getFormProps(form)} className="card space-y-3">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="version" value={preferences.version} />
        <label className="flex min-h-[2.75rem] items-center gap-2">
          <input type="checkbox" name="hideOrg" defaultChecked={preferences.hideOrg} className="h-5 w-5 accent-accent-700" />
          <span>{t('directory.privacy.hideOrg')}</span>
        </label>
        <label className="flex min-h-[2.75rem] items-center gap-2">
          <input type="checkbox" name="hideValidUntil" defaultChecked={preferences.hideValidUntil} className="h-5 w-5 accent-accent-700" />
          <span>{t('directory.privacy.hideValidUntil')}</span>
        </label>
        <div className="flex flex-wrap gap-3">
          <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
            {t('form.save')}
          </button>
          <Link to="/directory/mediators" className="btn-secondary">
            {t('directory.link')}
          </Link>
        </div>
      </Form>
    </>
  )
}
