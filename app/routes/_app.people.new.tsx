import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { checkPersonForm, createMediator, orgChoices } from '#app/modules/people/people.server.ts'
import { PersonForm, type PersonFormResult } from '#app/modules/people/person-form.tsx'
import { personCreateSchema } from '#app/modules/people/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'people.new.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'person:edit')
  const orgs = await orgChoices(getDb(), scopeFor(user, 'person:edit'))
  // Arriving from an organisation's page pre-selects it (only when it is one of the offered ones).
  const wanted = new URL(request.url).searchParams.get('org')
  const orgId = orgs.find((o) => o.id === wanted)?.id ?? (orgs.length === 1 ? orgs[0]!.id : undefined)
  return { orgs: orgs.map((o) => ({ id: o.id, name: o.name })), defaultValue: { orgId } }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'person:edit')
  const submission = parseWithZod(await request.formData(), { schema: personCreateSchema })
  if (submission.status !== 'success') return data<PersonFormResult>(submission.reply(), { status: 400 })
  const db = getDb()
  const checks = await checkPersonForm(db, user, submission.value)
  if (checks.orgOutOfScope) {
    await audit(db, request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'organisation',
      recordId: submission.value.orgId,
      result: 'denied',
      detail: { permission: 'person:edit' },
    })
  }
  if (!checks.org || Object.keys(checks.errors).length) {
    return data<PersonFormResult>({ ...submission.reply({ fieldErrors: checks.errors }), duplicateOf: checks.duplicateOf }, { status: 400 })
  }
  const result = await createMediator(db, { request, actor: actorOf(user) }, submission.value, checks.org)
  if (!result.ok) {
    const fieldErrors: Record<string, string[]> =
      result.problem === 'duplicateId' ? { idNumber: ['people.error.duplicateIdHidden'] } : { cardNumber: ['people.error.duplicateCard'] }
    return data<PersonFormResult>(submission.reply({ fieldErrors }), { status: 400 })
  }
  return redirectWithFlash(`/people/${result.id}`, { kind: 'success', message: 'people.created' })
}

export default function NewMediator() {
  const t = useT()
  const { orgs, defaultValue } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    <>
      <PageHeader title={t('people.new.title')} crumbs={[{ label: t('people.title'), to: '/people' }, { label: t('people.new.title') }]} />
      <PersonForm mode="create" lastResult={lastResult} orgs={orgs} defaultValue={defaultValue} cancelTo="/people" />
    </>
  )
}
