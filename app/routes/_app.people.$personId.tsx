import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useOutlet } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { RecordHistoryLink } from '#app/modules/audit/record-history-link.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { badRequest, notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { actorOf, may, requirePermission, requireRecordAccess, scopeFor, type AuthUser } from '#app/modules/auth/authz.server.ts'
import { employmentLabel, genderLabel, mediatorStatusLabel } from '#app/modules/people/labels.ts'
import { getPerson, revealNumber } from '#app/modules/people/people.server.ts'
import { revealSchema, type RevealField } from '#app/modules/people/schemas.ts'
import { libraryEvidence } from '#app/modules/library/submissions.server.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.person.name) : [])

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'person:view')
  // "My profile": the signed-in user's own person record.
  if (params.personId === 'me') {
    if (!user.personId) notFound()
    throw redirect(`/people/${user.personId}`)
  }
  const id = params.personId
  if (!isId(id)) notFound()
  const found = await getPerson(getDb(), id)
  if (!found) notFound()
  await requireRecordAccess(request, user, 'person:view', { type: 'person', id, ...found.scope })
  // Accepted library cases (录用案例): part of a mediator's record, for whoever may view the person.
  const acceptedCases = found.profile.mediator
    ? (await libraryEvidence(getDb(), id)).map((c) => ({
        id: c.submissionId,
        title: c.title,
        acceptedAt: c.acceptedAt,
        reviewerName: c.reviewerName,
      }))
    : []
  return {
    person: found.profile,
    acceptedCases,
    // Lists make sense only for those who see more than their own record.
    canList: scopeBeyondSelf(user),
    canViewOrg: may(user, 'org:view', { regionPath: found.scope.regionPath, orgId: found.scope.orgId }),
    canEdit: !!found.profile.mediator && may(user, 'person:edit', found.scope),
    canReveal: may(user, 'person:reveal', found.scope),
  }
}

function scopeBeyondSelf(user: AuthUser): boolean {
  const scope = scopeFor(user, 'person:view')
  return scope.everything || scope.regionPaths.length > 0 || scope.orgIds.length > 0
}

/**
 * "Show full number": the one place a full ID or phone number leaves the server, for admins and
 * bureau staff in scope, and always audited. The number travels only in this action's response.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'person:reveal')
  const id = params.personId
  if (!isId(id)) notFound()
  const db = getDb()
  const found = await getPerson(db, id)
  if (!found) notFound()
  await requireRecordAccess(request, user, 'person:reveal', { type: 'person', id, ...found.scope })
  const submission = parseWithZod(await request.formData(), { schema: revealSchema })
  if (submission.status !== 'success') badRequest()
  const field = submission.value.field
  const value = await revealNumber(db, id, field)
  if (!value) notFound()
  await audit(db, request, actorOf(user), {
    action: 'person.reveal',
    recordType: 'person',
    recordId: id,
    detail: { field, masked: field === 'idNumber' ? found.profile.idNumberMasked : found.profile.phoneMasked },
  })
  return { revealed: { field, value } }
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 break-words sm:col-span-2 sm:mt-0">{children}</dd>
    </div>
  )
}

function PersonalNumber({ field, masked, canReveal }: { field: RevealField; masked: string | null; canReveal: boolean }) {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  if (!masked) return <>{t('common.none')}</>
  const revealed = actionData?.revealed?.field === field ? actionData.revealed.value : null
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <span className="font-mono" data-testid={`${field}-masked`}>
        {masked}
      </span>
      {revealed ? (
        <span className="font-mono font-semibold" data-testid={`${field}-full`}>
          {revealed}
          <span className="ml-2 font-sans text-sm font-normal text-slate-600">{t('people.reveal.shown')}</span>
        </span>
      ) : canReveal ? (
        <Form method="post" className="inline">
          <input type="hidden" name="intent" value="reveal" />
          <input type="hidden" name="field" value={field} />
          <button
            type="submit"
            className="btn-link text-sm"
            disabled={navigation.state === 'submitting'}
            aria-label={t(field === 'idNumber' ? 'people.reveal.idNumber' : 'people.reveal.phone')}
          >
            {t('people.reveal')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

/** A person's profile; its edit page (a child route) renders in its place. */
export default function PersonProfile() {
  const t = useT()
  const outlet = useOutlet()
  const { person, acceptedCases, canList, canViewOrg, canEdit, canReveal } = useLoaderData<typeof loader>()
  if (outlet) return outlet
  const crumbs = canList ? [{ label: t('people.title'), to: '/people' }, { label: person.name }] : [{ label: person.name }]
  return (
    <>
      <PageHeader
        title={person.name}
        crumbs={crumbs}
        actions={
          canEdit ? (
            <>
              <Link to={`/people/${person.id}/edit`} className="btn-primary">
                {t('common.edit')}
              </Link>
              <RecordHistoryLink type="person" id={person.id} />
            </>
          ) : null
        }
      />
      <dl className="card divide-y divide-slate-200" data-testid="person-profile">
        <Item label={t('people.field.name')}>{person.name}</Item>
        <Item label={t('people.field.gender')}>{person.gender ? t(genderLabel(person.gender)) : t('common.none')}</Item>
        <Item label={t('people.field.birthDate')}>
          {person.birthDate
            ? `${t.date(person.birthDate)}${person.age === null ? '' : `（${t('people.age.years', { age: person.age })}）`}`
            : t('common.none')}
        </Item>
        <Item label={t('people.field.idNumber')}>
          <PersonalNumber field="idNumber" masked={person.idNumberMasked} canReveal={canReveal} />
        </Item>
        <Item label={t('people.field.phone')}>
          <PersonalNumber field="phone" masked={person.phoneMasked} canReveal={canReveal} />
        </Item>
        <Item label={t('people.field.org')}>
          {person.orgId && person.orgName ? (
            canViewOrg ? (
              <Link to={`/orgs/${person.orgId}`}>{person.orgName}</Link>
            ) : (
              person.orgName
            )
          ) : (
            t('common.none')
          )}
        </Item>
        <Item label={t('people.field.region')}>{person.regionName}</Item>
        {person.mediator ? (
          <>
            <Item label={t('people.field.employment')}>{t(employmentLabel(person.mediator.employment))}</Item>
            <Item label={t('people.field.cardNumber')}>{person.mediator.cardNumber ?? t('common.none')}</Item>
            <Item label={t('people.field.startedOn')}>
              {person.mediator.startedOn ? t.date(person.mediator.startedOn) : t('common.none')}
            </Item>
            <Item label={t('people.field.status')}>{t(mediatorStatusLabel(person.mediator.status))}</Item>
          </>
        ) : (
          <Item label={t('people.field.status')}>{t('people.notMediator')}</Item>
        )}
      </dl>
      {canReveal ? <p className="mt-3 text-sm text-slate-600">{t('people.reveal.notice')}</p> : null}
      {person.mediator ? (
        <section className="card mt-6" aria-labelledby="accepted-cases-heading" data-testid="accepted-cases">
          <h2 id="accepted-cases-heading" className="text-lg">
            {t('people.acceptedCases')}
          </h2>
          {acceptedCases.length === 0 ? (
            <p className="mt-2 text-slate-600">{t('people.acceptedCases.none')}</p>
          ) : (
            <ul className="mt-2 divide-y divide-slate-200">
              {acceptedCases.map((c) => (
                <li key={c.id} className="py-2">
                  <Link to={`/library/${c.id}`} className="break-words">
                    {c.title}
                  </Link>
                  <p className="text-sm text-slate-600">
                    {t('people.acceptedCases.meta', {
                      date: c.acceptedAt ? t.date(c.acceptedAt) : t('common.none'),
                      reviewer: c.reviewerName ?? t('common.none'),
                    })}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  )
}
