import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, requireRecordAccess, scopeFor } from '#app/modules/auth/authz.server.ts'
import { checkPersonForm, getPerson, orgChoices, updateMediator } from '#app/modules/people/people.server.ts'
import { PersonForm, type PersonFormResult } from '#app/modules/people/person-form.tsx'
import { personEditSchema } from '#app/modules/people/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'people.edit.title')

/** The mediator, if this user may edit them: 403 without person:edit, 404 outside their scope. */
async function editablePerson(request: Request, personId: string | undefined) {
  const user = await requirePermission(request, 'person:edit')
  if (!isId(personId)) notFound()
  const found = await getPerson(getDb(), personId)
  // These pages manage mediators; other people (experts) are edited where their records live.
  if (!found?.profile.mediator) notFound()
  await requireRecordAccess(request, user, 'person:edit', { type: 'person', id: personId, ...found.scope })
  return { user, person: found.profile }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, person } = await editablePerson(request, params.personId)
  const orgs = await orgChoices(getDb(), scopeFor(user, 'person:edit'))
  return {
    person: { id: person.id, name: person.name, version: person.version },
    // Never the full numbers: the form shows them masked in the hints and starts the fields empty.
    masked: { idNumber: person.idNumberMasked, phone: person.phoneMasked },
    orgs: orgs.map((o) => ({ id: o.id, name: o.name })),
    defaultValue: {
      name: person.name,
      gender: person.gender ?? undefined,
      birthDate: person.birthDate ?? undefined,
      orgId: person.orgId ?? undefined,
      employment: person.mediator?.employment,
      cardNumber: person.mediator?.cardNumber ?? undefined,
      startedOn: person.mediator?.startedOn ?? undefined,
      status: person.mediator?.status,
    },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, person } = await editablePerson(request, params.personId)
  const submission = parseWithZod(await request.formData(), { schema: personEditSchema })
  if (submission.status !== 'success') return data<PersonFormResult>(submission.reply(), { status: 400 })
  const db = getDb()
  const checks = await checkPersonForm(db, user, submission.value, person.id)
  if (checks.orgOutOfScope) {
    await audit(db, request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'organisation',
      recordId: submission.value.orgId,
      result: 'denied',
      detail: { permission: 'person:edit', person: person.id },
    })
  }
  if (!checks.org || Object.keys(checks.errors).length) {
    return data<PersonFormResult>({ ...submission.reply({ fieldErrors: checks.errors }), duplicateOf: checks.duplicateOf }, { status: 400 })
  }
  const outcome = await updateMediator(db, { request, actor: actorOf(user) }, person.id, submission.value, checks.org)
  if (outcome === 'stale') return data<PersonFormResult>(submission.reply({ formErrors: ['form.staleVersion'] }), { status: 409 })
  if (outcome === 'duplicateId')
    return data<PersonFormResult>(submission.reply({ fieldErrors: { idNumber: ['people.error.duplicateIdHidden'] } }), { status: 400 })
  if (outcome === 'duplicateCard')
    return data<PersonFormResult>(submission.reply({ fieldErrors: { cardNumber: ['people.error.duplicateCard'] } }), { status: 400 })
  return redirectWithFlash(`/people/${person.id}`, { kind: 'success', message: 'people.updated' })
}

export default function EditMediator() {
  const t = useT()
  const { person, masked, orgs, defaultValue } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title={t('people.edit.title')}
        crumbs={[
          { label: t('people.title'), to: '/people' },
          { label: person.name, to: `/people/${person.id}` },
          { label: t('people.edit.title') },
        ]}
      />
      <PersonForm
        mode="edit"
        lastResult={lastResult}
        orgs={orgs}
        defaultValue={defaultValue}
        masked={masked}
        version={person.version}
        cancelTo={`/people/${person.id}`}
      />
    </>
  )
}
