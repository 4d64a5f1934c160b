import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { badRequest, notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'
import { disputeTypeName, domainRoleLabel, statusLabel, tierLabel, unavailableLabel } from '#app/modules/experts/labels.ts'
import { DOMAIN_ROLES } from '#app/modules/experts/model.ts'
import { handlePanelIntent, isPanelIntent } from '#app/modules/experts/panel-actions.server.ts'
import { expertIdOfPerson, getExpertDetail } from '#app/modules/experts/queries.server.ts'
import { termState, unavailableReasons } from '#app/modules/experts/rules.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'
import { StatusBadge, TermBadge, TierBadge } from '#app/modules/experts/ui/badges.tsx'
import { ConflictsSection, ContactPreferenceForm, type PanelResult, UnavailabilitySection } from '#app/modules/experts/ui/panels.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.me.title')

/**
 * The expert's own page: their profile (read-only where the appointing body decides), and what
 * they keep themselves: unavailable periods, contact preference, declared conflicts. The record
 * is always the one linked to the signed-in account; nothing here takes an id from the URL.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'expert:self')
  const db = getDb()
  const personId = await expertIdOfPerson(db, user.personId)
  if (!personId) return { found: false as const }
  const handle = await requireExpert(request, user, personId, 'self')
  const today = todayInChina()
  const [detail, settings] = await Promise.all([getExpertDetail(db, handle.personId, today), readExpertSettings(db)])
  if (!detail) notFound()
  const { expert } = detail
  return {
    found: true as const,
    today,
    expert,
    domains: detail.domains,
    unavailability: detail.unavailability,
    conflicts: detail.conflicts,
    termState: termState({ term_start: expert.termStart, term_end: expert.termEnd }, today, settings.renewalWindowDays),
    unavailable: unavailableReasons(
      {
        status: expert.status,
        term_start: expert.termStart,
        term_end: expert.termEnd,
        max_concurrent_cases: expert.maxConcurrentCases,
        unavailable: detail.unavailability,
      },
      today,
    ),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'expert:self')
  const db = getDb()
  const personId = await expertIdOfPerson(db, user.personId)
  if (!personId) notFound()
  const handle = await requireExpert(request, user, personId, 'self')
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (!isPanelIntent(intent)) badRequest()
  return handlePanelIntent(db, request, user, handle.personId, 'expert', intent, formData, todayInChina(), '/me/expert')
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="py-2">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 break-words">{children}</dd>
    </div>
  )
}

export default function MyExpertProfile() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<PanelResult>()
  if (!data.found) {
    return (
      <>
        <PageHeader title={t('experts.me.title')} />
        <p className="card">{t('experts.me.notExpert')}</p>
      </>
    )
  }
  const { expert } = data
  return (
    <>
      <PageHeader title={t('experts.me.title')} />
      <p className="mb-4 text-slate-700">{t('experts.me.intro')}</p>
      <div className="space-y-4">
        <section className="card" aria-labelledby="me-profile-heading" data-testid="my-profile">
          <h2 id="me-profile-heading" className="text-lg">
            {expert.name}
          </h2>
          <div className="mt-2 flex flex-wrap gap-2">
            <TierBadge tier={expert.tier} />
            <StatusBadge status={expert.status} />
            <TermBadge state={data.termState} />
          </div>
          <dl className="mt-3 divide-y divide-slate-200">
            <Item label={t('experts.field.region')}>{expert.regionName ?? t('experts.nationalBody')}</Item>
            <Item label={t('experts.field.term')}>
              {t('experts.field.termRange', { start: t.date(expert.termStart), end: t.date(expert.termEnd) })}
            </Item>
            <Item label={t('experts.field.status')}>{t(statusLabel(expert.status))}</Item>
            <Item label={t('experts.field.tier')}>{t(tierLabel(expert.tier))}</Item>
            <Item label={t('experts.field.availability')}>
              {data.unavailable.length === 0
                ? t('experts.available.yes')
                : `${t('experts.available.no')}：${data.unavailable.map((r) => t(unavailableLabel(r))).join('；')}`}
            </Item>
            <Item label={t('experts.field.employer')}>{expert.employer}</Item>
            <Item label={t('experts.field.idNumber')}>
              <span className="font-mono">{expert.idNumberMasked ?? t('experts.notProvided')}</span>
            </Item>
            <Item label={t('experts.field.phone')}>
              <span className="font-mono">{expert.phoneMasked ?? t('experts.notProvided')}</span>
            </Item>
            {DOMAIN_ROLES.map((role) => {
              const names = data.domains.filter((d) => d.role === role).map((d) => disputeTypeName(t.locale, d))
              return (
                <Item key={role} label={t(domainRoleLabel(role))}>
                  {names.length ? names.join('、') : t('experts.notProvided')}
                </Item>
              )
            })}
          </dl>
        </section>

        <UnavailabilitySection
          periods={data.unavailability}
          today={data.today}
          canAdd
          mayRemove={(period) => period.entered_by === 'expert'}
          actionData={actionData}
        />

        <ContactPreferenceForm
          preference={expert.contactPreference}
          note={expert.contactNote}
          version={expert.version}
          actionData={actionData}
        />

        <ConflictsSection
          conflicts={data.conflicts}
          employer={expert.employer}
          today={data.today}
          canAdd
          mayEnd={(conflict) => conflict.declared_by === 'expert'}
          actionData={actionData}
        />
      </div>
    </>
  )
}
