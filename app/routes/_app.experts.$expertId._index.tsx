import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { RecordHistoryLink } from '#app/modules/audit/record-history-link.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { badRequest, notFound } from '#app/lib/http.server.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { requirePermission, requireUser } from '#app/modules/auth/authz.server.ts'
import { requireExpert } from '#app/modules/experts/access.server.ts'
import {
  contactLabel,
  disputeTypeName,
  domainRoleLabel,
  formatMegabytes,
  genderLabel,
  professionLabel,
  recommendationStatusLabel,
  statusLabel,
  tierLabel,
  unavailableLabel,
} from '#app/modules/experts/labels.ts'
import { DOMAIN_ROLES, type Profession } from '#app/modules/experts/model.ts'
import { handlePanelIntent, isPanelIntent } from '#app/modules/experts/panel-actions.server.ts'
import { getExpertDetail } from '#app/modules/experts/queries.server.ts'
import { revealExpertNumber } from '#app/modules/experts/reveal.server.ts'
import { termState, unavailableReasons } from '#app/modules/experts/rules.ts'
import { revealSchema } from '#app/modules/experts/schemas.ts'
import { expertViewScope } from '#app/modules/experts/scope.ts'
import { readExpertSettingsForDisplay } from '#app/modules/experts/settings.server.ts'
import { StatusBadge, TermBadge, TierBadge } from '#app/modules/experts/ui/badges.tsx'
import { ConflictsSection, type PanelResult, UnavailabilitySection } from '#app/modules/experts/ui/panels.tsx'
import { ExpertHistoryPanel } from '#app/modules/cases/ui/expert-history-panel.tsx'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => (data ? recordTitle(matches, data.expert.name) : [])

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const handle = await requireExpert(request, user, params.expertId ?? '', 'view')
  const db = getDb()
  const today = todayInChina()
  const [detail, settings] = await Promise.all([getExpertDetail(db, handle.personId, today), readExpertSettingsForDisplay(db)])
  if (!detail) notFound()
  const { expert } = detail
  const view = expertViewScope(user)
  return {
    ...detail,
    today,
    access: handle.access,
    canList: view.everything || view.subtreePaths.length > 0,
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
    ageLimit: expert.age !== null && expert.age >= settings.ageLimit ? settings.ageLimit : null,
    photoMaxBytes: settings.photoMaxBytes,
  }
}

/** Staff's changes on this page: reveal a number, periods and conflicts. Each checks its own access. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'expert:view')
  const formData = await request.formData()
  const intent = formData.get('intent')
  const db = getDb()
  if (intent === 'reveal') {
    const handle = await requireExpert(request, user, params.expertId ?? '', 'reveal')
    const submission = parseWithZod(formData, { schema: revealSchema })
    if (submission.status !== 'success') badRequest()
    const value = await revealExpertNumber(db, request, user, handle.personId, submission.value.field)
    return { intent: 'reveal' as const, revealed: { field: submission.value.field, value } }
  }
  if (!isPanelIntent(intent) || intent === 'contact') badRequest()
  const handle = await requireExpert(request, user, params.expertId ?? '', 'edit')
  return handlePanelIntent(db, request, user, handle.personId, 'staff', intent, formData, todayInChina(), `/experts/${handle.personId}`)
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 break-words sm:col-span-2 sm:mt-0">{children}</dd>
    </div>
  )
}

type ActionData = PanelResult & { revealed?: { field: 'idNumber' | 'phone'; value: string | null } }

function PersonalNumber({ field, masked, canReveal }: { field: 'idNumber' | 'phone'; masked: string | null; canReveal: boolean }) {
  const t = useT()
  const actionData = useActionData<ActionData>()
  const navigation = useNavigation()
  if (!masked) return <>{t('experts.notProvided')}</>
  const revealed = actionData?.revealed?.field === field ? actionData.revealed.value : null
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <span className="font-mono" data-testid={`${field}-masked`}>
        {masked}
      </span>
      {revealed ? (
        <span className="font-mono font-semibold" data-testid={`${field}-full`}>
          {revealed}
          <span className="ml-2 font-sans text-sm font-normal text-slate-600">{t('experts.reveal.shown')}</span>
        </span>
      ) : canReveal ? (
        <Form method="post" className="inline">
          <input type="hidden" name="intent" value="reveal" />
          <input type="hidden" name="field" value={field} />
          <button type="submit" className="btn-link text-sm" disabled={navigation.state === 'submitting'}>
            {t('experts.reveal.show')}
          </button>
        </Form>
      ) : null}
    </div>
  )
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={`${id}-heading`} data-testid={id}>
      <h2 id={`${id}-heading`} className="text-lg">
        {title}
      </h2>
      <div className="mt-3">{children}</div>
    </section>
  )
}

export default function ExpertDetail() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<ActionData>()
  const { expert, access } = data
  const editable = access.edit
  const body = expert.regionName ? `${expert.regionName}（${t(tierLabel(expert.tier))}）` : t('experts.nationalBody')
  const crumbs = data.canList ? [{ label: t('experts.title'), to: '/experts' }, { label: expert.name }] : [{ label: expert.name }]
  return (
    <>
      <PageHeader
        title={expert.name}
        crumbs={crumbs}
        actions={
          <>
            {editable ? (
              <Link to={`/experts/${expert.personId}/edit`} className="btn-primary">
                {t('experts.action.edit')}
              </Link>
            ) : null}
            {editable && expert.status !== 'removed' ? (
              <Link to={`/experts/${expert.personId}/status`} className="btn-secondary">
                {t('experts.action.changeStatus')}
              </Link>
            ) : null}
            {editable && expert.status !== 'removed' ? (
              <Link to={`/experts/${expert.personId}/renew`} className="btn-secondary">
                {t('experts.action.renew')}
              </Link>
            ) : null}
            {access.recommend && expert.status === 'active' && expert.tier !== 'national' ? (
              <Link to={`/experts/${expert.personId}/recommend`} className="btn-secondary">
                {t('experts.action.recommend')}
              </Link>
            ) : null}
            <RecordHistoryLink type="expert" id={expert.personId} show={editable} />
          </>
        }
      />
      <div className="mb-4 flex flex-wrap gap-2" data-testid="expert-badges">
        <TierBadge tier={expert.tier} />
        <StatusBadge status={expert.status} />
        <TermBadge state={data.termState} />
      </div>
      {editable ? null : (
        <p className="mb-4 rounded-md border-l-4 border-accent-600 bg-accent-50 px-4 py-3 text-accent-800" data-testid="read-only">
          {t('experts.readOnlyNotice', { body })}
        </p>
      )}
      <div className="space-y-4">
        <section className="card" aria-labelledby="profile-heading">
          <h2 id="profile-heading" className="text-lg">
            {t('experts.section.profile')}
          </h2>
          <div className="mt-3 flex flex-col gap-4 sm:flex-row">
            <div className="shrink-0">
              {expert.hasPhoto ? (
                <img
                  src={`/experts/${expert.personId}/photo`}
                  alt={t('experts.photo.alt', { name: expert.name })}
                  className="h-40 w-32 rounded-md border border-slate-200 object-cover"
                />
              ) : (
                <div className="flex h-40 w-32 items-center justify-center rounded-md border border-dashed border-slate-300 text-sm text-slate-500">
                  {t('experts.photo.none')}
                </div>
              )}
              {editable ? (
                <div className="mt-2 w-full max-w-xs space-y-2">
                  <Form method="post" action={`/experts/${expert.personId}/photo`} encType="multipart/form-data" className="space-y-2">
                    <label htmlFor="photo" className="label">
                      {t('experts.field.photo')}
                    </label>
                    <input id="photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp" className="block w-full text-sm" />
                    <p className="field-hint">{t('experts.photo.hint', { size: formatMegabytes(data.photoMaxBytes) })}</p>
                    <button type="submit" className="btn-secondary px-3 py-1 text-sm">
                      {t('experts.photo.upload')}
                    </button>
                  </Form>
                  {expert.hasPhoto ? (
                    <Form method="post" action={`/experts/${expert.personId}/photo`}>
                      <input type="hidden" name="intent" value="remove" />
                      <button type="submit" className="btn-link text-sm">
                        {t('experts.photo.remove')}
                      </button>
                    </Form>
                  ) : null}
                </div>
              ) : null}
            </div>
            <dl className="min-w-0 flex-1 divide-y divide-slate-200" data-testid="expert-profile">
              <Item label={t('experts.field.gender')}>{expert.gender ? t(genderLabel(expert.gender)) : t('experts.notProvided')}</Item>
              <Item label={t('experts.field.birthDate')}>
                {expert.birthDate
                  ? `${t.date(expert.birthDate)}（${t('experts.field.ageValue', { age: expert.age ?? '' })}）`
                  : t('experts.notProvided')}
                {data.ageLimit ? (
                  <span className="ml-2 text-sm text-amber-800">{t('experts.age.over', { limit: data.ageLimit })}</span>
                ) : null}
              </Item>
              <Item label={t('experts.field.idNumber')}>
                <PersonalNumber field="idNumber" masked={expert.idNumberMasked} canReveal={access.reveal} />
              </Item>
              <Item label={t('experts.field.phone')}>
                <PersonalNumber field="phone" masked={expert.phoneMasked} canReveal={access.reveal} />
              </Item>
              <Item label={t('experts.field.tier')}>{t(tierLabel(expert.tier))}</Item>
              <Item label={t('experts.field.region')}>{expert.regionName ?? t('experts.nationalBody')}</Item>
              {expert.tier === 'national' && expert.personRegionName ? (
                <Item label={t('experts.field.personRegion')}>{expert.personRegionName}</Item>
              ) : null}
              <Item label={t('experts.field.appointingOrg')}>{expert.appointingOrgName ?? t('experts.notProvided')}</Item>
              <Item label={t('experts.field.term')}>
                <span data-testid="term-range">
                  {t('experts.field.termRange', { start: t.date(expert.termStart), end: t.date(expert.termEnd) })}
                </span>
              </Item>
              <Item label={t('experts.field.status')}>{t(statusLabel(expert.status))}</Item>
              <Item label={t('experts.field.availability')}>
                {data.unavailable.length === 0 ? (
                  t('experts.available.yes')
                ) : (
                  <>
                    {t('experts.available.no')}：{data.unavailable.map((r) => t(unavailableLabel(r))).join('；')}
                  </>
                )}
              </Item>
              <Item label={t('experts.field.employer')}>
                {expert.employer}
                {expert.employerOrgName && expert.employerOrgName !== expert.employer ? `（${expert.employerOrgName}）` : ''}
              </Item>
              <Item label={t('experts.field.title')}>{expert.title ?? t('experts.notProvided')}</Item>
              <Item label={t('experts.field.professions')}>
                {expert.professions.map((p) => t(professionLabel(p as Profession))).join('、')}
              </Item>
              <Item label={t('experts.field.languages')}>
                {expert.languages.length ? expert.languages.join('、') : t('experts.notProvided')}
              </Item>
              <Item label={t('experts.field.maxConcurrentCases')}>{expert.maxConcurrentCases}</Item>
              <Item label={t('experts.field.contactPreference')}>
                {t(contactLabel(expert.contactPreference))}
                {expert.contactNote ? `（${expert.contactNote}）` : ''}
              </Item>
              <Item label={t('experts.field.bio')}>
                <span className="whitespace-pre-line">{expert.bio ?? t('experts.notProvided')}</span>
              </Item>
            </dl>
          </div>
        </section>

        <Section id="domains" title={t('experts.section.domains')}>
          <dl className="divide-y divide-slate-200">
            {DOMAIN_ROLES.map((role) => {
              const names = data.domains.filter((d) => d.role === role).map((d) => disputeTypeName(t.locale, d))
              return (
                <Item key={role} label={t(domainRoleLabel(role))}>
                  {names.length ? names.join('、') : t('experts.notProvided')}
                </Item>
              )
            })}
          </dl>
        </Section>

        <Section id="terms" title={t('experts.section.terms')}>
          <ul className="divide-y divide-slate-200">
            {data.terms.map((term) => (
              <li key={term.id} className="py-2">
                <p className="font-medium">
                  {t(term.kind === 'renewed' ? 'experts.term.kind.renewed' : 'experts.term.kind.appointed')}：
                  {t('experts.field.termRange', { start: t.date(term.start_date), end: t.date(term.end_date) })}
                </p>
                <p className="text-sm text-slate-600">
                  {t.dateTime(term.created_at)}
                  {term.by_name ? ` · ${term.by_name}` : ''}
                  {term.note ? ` · ${term.note}` : ''}
                </p>
              </li>
            ))}
          </ul>
        </Section>

        <Section id="status-history" title={t('experts.section.statusHistory')}>
          <ul className="divide-y divide-slate-200">
            {data.statusChanges.map((change) => (
              <li key={change.id} className="py-2">
                <p className="font-medium">
                  {change.from_status
                    ? `${t(statusLabel(change.from_status))} → ${t(statusLabel(change.to_status))}`
                    : t('experts.history.admitted')}
                </p>
                <p className="text-sm text-slate-600">
                  {t.dateTime(change.changed_at)}
                  {change.by_name ? ` · ${change.by_name}` : ''}
                </p>
                {change.reason ? <p>{change.reason}</p> : null}
              </li>
            ))}
          </ul>
        </Section>

        <UnavailabilitySection
          periods={data.unavailability}
          today={data.today}
          canAdd={editable}
          mayRemove={() => editable}
          actionData={actionData}
        />

        <ConflictsSection
          conflicts={data.conflicts}
          employer={expert.employer}
          today={data.today}
          canAdd={editable}
          mayEnd={() => editable}
          actionData={actionData}
        />

        <Section id="recommendations" title={t('experts.section.recommendations')}>
          {data.recommendations.length === 0 ? (
            <p className="text-slate-600">{t('experts.recommend.none')}</p>
          ) : (
            <ul className="divide-y divide-slate-200">
              {data.recommendations.map((rec) => (
                <li key={rec.id} className="py-2">
                  <p className="font-medium">
                    {t('experts.recommend.from', {
                      tier: t(tierLabel(rec.from_tier)),
                      to: `${t(tierLabel(rec.to_tier))}${rec.to_region_name ? `（${rec.to_region_name}）` : ''}`,
                    })}
                    <span className="ml-2 text-sm">{t(recommendationStatusLabel(rec.status))}</span>
                  </p>
                  <p className="text-sm text-slate-600">
                    {t.dateTime(rec.recommended_at)}
                    {rec.recommended_by_name ? ` · ${t('experts.recommend.by', { name: rec.recommended_by_name })}` : ''}
                  </p>
                  <p>{rec.reason}</p>
                  {rec.decided_at ? (
                    <p className="text-sm text-slate-600">
                      {t.dateTime(rec.decided_at)}
                      {rec.decided_by_name ? ` · ${rec.decided_by_name}` : ''}
                      {rec.decision_reason ? ` · ${rec.decision_reason}` : ''}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section id="assignments" title={t('experts.section.assignments')}>
          <ExpertHistoryPanel expertId={expert.personId} />
        </Section>
      </div>
    </>
  )
}
