import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { RecordHistoryLink } from '#app/modules/audit/record-history-link.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { actorOf, may, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { requireCase } from '#app/modules/cases/access.server.ts'
import { getCase, moveCase } from '#app/modules/cases/cases.server.ts'
import { consultationsOfCase, inviteExpert, rateConsultation, withdrawInvitation } from '#app/modules/cases/consultations.server.ts'
import { decisionsOfCase, extendTimeLimit, pinConflict } from '#app/modules/cases/decisions.server.ts'
import { latestRecommendation, searchExpertsForCase } from '#app/modules/cases/detail.server.ts'
import { recommendForCase } from '#app/modules/cases/matching.server.ts'
import {
  CONSULTATION_MODES,
  COURT_EXTENSION_DAYS,
  NEXT_STATUSES,
  TIME_LIMIT_DAYS,
  canExtendTimeLimit,
  consultationStatusLabel,
  difficultyLabel,
  isOverdue,
  modeLabel,
  sourceLabel,
  statusLabel,
  yuan,
} from '#app/modules/cases/model.ts'
import { labelRef } from '#app/modules/cases/refs.ts'
import { extendSchema, inviteSchema, pinConflictSchema, rateSchema, statusSchema, withdrawSchema } from '#app/modules/cases/schemas.ts'
import { requirementRef } from '#app/modules/matching/recommend.ts'
import { SCORE_COMPONENTS } from '#app/modules/matching/types.ts'
import { similarCases } from '#app/modules/library/index.server.ts'
import { SimilarList } from '#app/modules/library/ui/similar-list.tsx'
import { OpinionView } from '#app/modules/cases/ui/opinion-view.tsx'
import { CaseDeliveriesLink } from '#app/modules/webhooks/ui/deliveries-link.tsx'
import { PartiesPurgedNote } from '#app/modules/retention/ui/parties-purged-note.tsx'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.kase.case_number ?? '')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'case:view')
  const db = getDb()
  const location = await requireCase(db, request, user, 'case:view', params.caseId)
  const kase = await getCase(db, location.id)
  if (!kase) notFound()
  const today = todayInChina()
  const url = new URL(request.url)
  const q = url.searchParams.get('q')?.trim().slice(0, 50) ?? ''
  const record = { regionPath: location.region_path, orgId: location.org_id }
  const canAssign = may(user, 'case:assign', record)
  const [decisions, consultations, recommendation, search, regions, types, similar] = await Promise.all([
    decisionsOfCase(db, kase.id),
    consultationsOfCase(db, kase.id),
    latestRecommendation(db, kase.id),
    q && canAssign ? searchExpertsForCase(db, kase.id, q, today) : Promise.resolve(null),
    db.selectFrom('regions').select(['code', 'name']).where('level', 'in', ['province', 'city', 'district']).execute(),
    db.selectFrom('dispute_types').select(['code', 'name_en']).execute(),
    similarCases(`${kase.title}\n${kase.summary}`, { disputeType: kase.dispute_type_code, domains: kase.domainList }, 5, db),
  ])
  return {
    similar: similar.map((s) => ({
      key: s.case.key,
      title: s.case.title,
      disputeType: s.case.disputeType,
      sameType: s.sameType,
      sharedDomains: s.sharedDomains,
      sharedTerms: s.sharedTerms,
    })),
    kase: { ...kase, parties: kase.parties.map((p) => ({ id: p.id, kind: p.kind, name: p.name, idMasked: p.id_number_masked })) },
    requirementRefs: kase.requirementList.map(requirementRef),
    consultations,
    recommendation,
    pins: decisions.pins,
    canExtend: canExtendTimeLimit(kase.source, kase.status, !!kase.extension),
    search,
    q,
    today,
    canManage: may(user, 'case:manage', record),
    canAssign,
    deliveriesLink: !!kase.referral_client_id && may(user, 'webhook:view', record),
    names: {
      regions: Object.fromEntries(regions.map((r) => [r.code, r.name])),
      disputeTypesEn: Object.fromEntries(types.map((d) => [d.code, d.name_en])),
    },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'case:view')
  const db = getDb()
  const location = await requireCase(db, request, user, 'case:view', params.caseId)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const back = `/cases/${location.id}`
  const record = { type: 'case', id: location.id, regionPath: location.region_path, orgId: location.org_id }
  const today = todayInChina()

  if (intent === 'recommend') {
    await requireCase(db, request, user, 'case:assign', location.id)
    const diversify = formData.get('diversify') === 'on'
    const stored = await recommendForCase(db, location.id, today, user.userId, { diversify })
    await audit(db, request, actorOf(user), {
      action: 'case.recommended',
      recordType: 'case',
      recordId: location.id,
      detail: {
        recommendationId: stored?.id,
        eligible: stored?.result.eligibleCount,
        configVersion: stored?.configVersion,
        diversify: stored?.diversify ?? null,
      },
    })
    return redirectWithFlash(`${back}#recommendations`, { kind: 'success', message: 'cases.rec.title' })
  }

  if (intent === 'invite') {
    await requireCase(db, request, user, 'case:assign', location.id)
    const submission = parseWithZod(formData, { schema: inviteSchema })
    if (submission.status !== 'success') return data({ intent, refused: ['validation.invalid'] }, { status: 400 })
    const input = submission.value
    const latest = await latestRecommendation(db, location.id)
    const listed = latest?.items.some((i) => i.expertId === input.expertId) ?? false
    const source = listed && input.source === 'recommended' ? 'recommended' : input.reason?.trim() ? 'override' : 'search'
    const outcome = await inviteExpert(db, {
      caseId: location.id,
      expertId: input.expertId,
      source,
      reason: input.reason ?? null,
      mode: input.mode,
      deadline: input.deadline,
      userId: user.userId,
      today,
      auditAs: { request, actor: actorOf(user) },
    })
    await audit(db, request, actorOf(user), {
      action: 'case.expert_invited',
      recordType: 'case',
      recordId: location.id,
      result: outcome.ok ? 'ok' : 'denied',
      detail: { expertId: input.expertId, source, reason: input.reason ?? null, refused: outcome.ok ? undefined : outcome.messages },
    })
    if (!outcome.ok) return data({ intent, refused: outcome.messages }, { status: 400 })
    return redirectWithFlash(back, { kind: 'success', message: outcome.created ? 'cases.invite.sent' : 'cases.invite.already' })
  }

  if (intent === 'status') {
    await requireRecordAccess(request, user, 'case:manage', record)
    const submission = parseWithZod(formData, { schema: statusSchema })
    if (submission.status !== 'success') return data({ intent, refused: ['validation.invalid'] }, { status: 400 })
    const moved = await moveCase(db, location.id, submission.value.to, submission.value.version, submission.value.note ?? null)
    if (!moved.ok) return data({ intent, refused: [moved.message] }, { status: 409 })
    await audit(db, request, actorOf(user), {
      action: 'case.status_changed',
      recordType: 'case',
      recordId: location.id,
      detail: { from: moved.from, to: submission.value.to },
    })
    return redirectWithFlash(back, { kind: 'success', message: 'cases.status.moved' })
  }

  if (intent === 'rate') {
    await requireRecordAccess(request, user, 'case:manage', record)
    const submission = parseWithZod(formData, { schema: rateSchema })
    if (submission.status !== 'success') return data({ intent, refused: ['validation.invalid'] }, { status: 400 })
    const { consultationId, rating, comment } = submission.value
    const rated = await rateConsultation(db, location.id, consultationId, rating, comment ?? null, user.userId)
    if (!rated.ok) return data({ intent, refused: [rated.message] }, { status: 409 })
    if (rated.changed) {
      await audit(db, request, actorOf(user), {
        action: 'case.expert_rated',
        recordType: 'case_consultation',
        recordId: consultationId,
        detail: { caseId: location.id, rating },
      })
    }
    return redirectWithFlash(back, { kind: 'success', message: 'cases.consultation.rated' })
  }

  if (intent === 'withdraw') {
    await requireCase(db, request, user, 'case:assign', location.id)
    const submission = parseWithZod(formData, { schema: withdrawSchema })
    if (submission.status !== 'success') return data({ intent, refused: ['cases.consultation.reasonRequired'] }, { status: 400 })
    const { consultationId, reason } = submission.value
    const withdrawn = await withdrawInvitation(db, location.id, consultationId, reason)
    if (!withdrawn.ok) return data({ intent, refused: [withdrawn.message] }, { status: 409 })
    if (withdrawn.changed) {
      await audit(db, request, actorOf(user), {
        action: 'case.expert_withdrawn',
        recordType: 'case_consultation',
        recordId: consultationId,
        detail: { caseId: location.id, reason },
      })
      await recommendForCase(db, location.id, today, user.userId)
    }
    return redirectWithFlash(back, { kind: 'success', message: 'cases.consultation.withdrawn' })
  }

  if (intent === 'pin') {
    await requireCase(db, request, user, 'case:assign', location.id)
    const submission = parseWithZod(formData, { schema: pinConflictSchema })
    if (submission.status !== 'success') return data({ intent, refused: ['cases.pin.reasonRequired'] }, { status: 400 })
    const { expertId, reason } = submission.value
    const pinned = await pinConflict(db, { caseId: location.id, expertId, reason, userId: user.userId }, { request, actor: actorOf(user) })
    if (!pinned.ok) return data({ intent, refused: [pinned.message] }, { status: 409 })
    if (pinned.changed) await recommendForCase(db, location.id, today, user.userId)
    return redirectWithFlash(`${back}#pins`, { kind: 'success', message: pinned.changed ? 'cases.pin.done' : 'cases.pin.already' })
  }

  if (intent === 'extend') {
    await requireRecordAccess(request, user, 'case:manage', record)
    const submission = parseWithZod(formData, { schema: extendSchema })
    if (submission.status !== 'success') return data({ intent, refused: ['cases.extension.reasonRequired'] }, { status: 400 })
    const extended = await extendTimeLimit(
      db,
      { caseId: location.id, reason: submission.value.reason, userId: user.userId },
      { request, actor: actorOf(user) },
    )
    if (!extended.ok) return data({ intent, refused: [extended.message] }, { status: 409 })
    return redirectWithFlash(back, { kind: 'success', message: 'cases.extension.done' })
  }

  return data({ intent, refused: ['validation.invalid'] }, { status: 400 })
}

function Components({ components }: { components: Record<string, number> }) {
  const t = useT()
  return (
    <dl className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-600">
      {SCORE_COMPONENTS.map((c) => (
        <div key={c} className="flex gap-1">
          <dt>{t(`cases.component.${c}`)}</dt>
          <dd>{(components[c] ?? 0).toFixed(2)}</dd>
        </div>
      ))}
    </dl>
  )
}

export default function CaseDetail() {
  const t = useT()
  const { kase, requirementRefs, consultations, recommendation, pins, canExtend, search, q, today, canManage, canAssign, names, similar } =
    useLoaderData<typeof loader>()
  const { deliveriesLink } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const label = (ref: string) => labelRef(t, ref, names)
  const full = kase.experts_assigned >= kase.experts_needed
  const inviteFields = (
    <>
      <label className="grid gap-1 text-sm">
        <span>{t('cases.invite.mode')}</span>
        <select name="mode" defaultValue={kase.consultation_mode} className="input">
          {CONSULTATION_MODES.map((m) => (
            <option key={m} value={m}>
              {t(modeLabel(m))}
            </option>
          ))}
        </select>
      </label>
      <label className="grid gap-1 text-sm">
        <span>{t('cases.invite.deadline')}</span>
        <input type="date" name="deadline" defaultValue={kase.deadline} className="input" required />
      </label>
    </>
  )
  return (
    <>
      <PageHeader
        title={kase.title}
        crumbs={[{ label: t('cases.list.title'), to: '/cases' }, { label: kase.case_number }]}
        actions={
          <>
            <RecordHistoryLink type="case" id={kase.id} show={canManage} />
            <CaseDeliveriesLink caseId={kase.id} show={deliveriesLink} />
          </>
        }
      />
      {result && 'refused' in result ? (
        <div role="alert" className="card mb-4 border-red-300 text-red-800" data-testid="refused">
          {t('cases.invite.refused', { reasons: result.refused.map(label).join(t.locale === 'en' ? '; ' : '；') })}
        </div>
      ) : null}
      <section className="card mb-4 grid gap-2 md:grid-cols-2" data-testid="case-facts">
        <p>
          <strong>{t('cases.field.caseNumber')}：</strong>
          {kase.case_number}
        </p>
        <p>
          <strong>{t('cases.field.status')}：</strong>
          <span data-testid="case-status">{t(statusLabel(kase.status))}</span>
          {isOverdue(kase.status, kase.due, today) ? <strong className="ml-2 text-red-700">{t('cases.overdue')}</strong> : null}
          <span className="ml-2 text-sm text-slate-600" data-testid="case-due">
            {t('cases.due', { date: t.date(kase.due) })}
          </span>
        </p>
        <p>
          <strong>{t('cases.field.disputeType')}：</strong>
          {t.locale === 'en' ? kase.dispute_type_en : kase.dispute_type_code}
          {kase.domainList.length ? ` + ${kase.domainList.join('、')}` : ''}
        </p>
        <p>
          <strong>{t('cases.field.difficulty')}：</strong>
          {t(difficultyLabel(kase.difficulty))}
        </p>
        <p>
          <strong>{t('cases.field.region')}：</strong>
          {kase.region_name} · {kase.org_name}
        </p>
        <p>
          <strong>{t('cases.field.source')}：</strong>
          {t(sourceLabel(kase.source))}
        </p>
        <p>
          <strong>{t('cases.field.amount')}：</strong>
          {yuan(kase.amount_fen)}
        </p>
        <p>
          <strong>{t('cases.field.expertsNeeded')}：</strong>
          {kase.experts_assigned}/{kase.experts_needed} · {t(modeLabel(kase.consultation_mode))} · {t.date(kase.period_start)}–
          {t.date(kase.period_end)}
        </p>
        <p className="md:col-span-2">
          <strong>{t('cases.field.requirements')}：</strong>
          {requirementRefs.length ? requirementRefs.map(label).join('；') : t('cases.field.none')}
          {kase.requires_outside_region ? ` · ${t('cases.field.outsideRegion')}` : ''}
        </p>
        {kase.source === 'court' ? (
          <div className="md:col-span-2 text-sm" data-testid="court-limit">
            <p>{t('cases.extension.rule', { days: TIME_LIMIT_DAYS, extra: COURT_EXTENSION_DAYS })}</p>
            {kase.extension ? (
              <p data-testid="extension">
                {t('cases.extension.granted', { days: kase.extension.days, at: t.dateTime(kase.extension.at) })}：{kase.extension.reason}
              </p>
            ) : null}
            {canManage && canExtend ? (
              <Form method="post" className="mt-1 flex flex-wrap items-end gap-2">
                <input type="hidden" name="intent" value="extend" />
                <label className="grid flex-1 gap-1">
                  <span>{t('cases.extension.reason')}</span>
                  <input name="reason" className="input" maxLength={1000} required />
                </label>
                <button type="submit" className="btn-secondary">
                  {t('cases.extension.submit', { days: COURT_EXTENSION_DAYS })}
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
        <p className="md:col-span-2 whitespace-pre-line">{kase.summary}</p>
        <div className="md:col-span-2">
          <strong>{t('cases.field.parties')}：</strong>
          <ul data-testid="parties">
            {kase.parties.map((p) => (
              <li key={p.id}>
                {p.name}（{t(p.kind === 'person' ? 'cases.party.person' : 'cases.party.organisation')}）{p.idMasked ? ` ${p.idMasked}` : ''}
              </li>
            ))}
          </ul>
          {kase.parties_purged_at ? <PartiesPurgedNote at={kase.parties_purged_at} /> : null}
        </div>
        <p className="md:col-span-2 text-sm text-slate-600">
          {t('cases.field.timeline')}：{t('cases.status.registered')} {t.dateTime(kase.registered_at)}
          {kase.accepted_at ? ` → ${t('cases.status.accepted')} ${t.dateTime(kase.accepted_at)}` : ''}
          {kase.mediation_started_at ? ` → ${t('cases.status.mediating')} ${t.dateTime(kase.mediation_started_at)}` : ''}
          {kase.concluded_at
            ? ` → ${t(statusLabel(kase.status === 'failed' ? 'failed' : 'succeeded'))} ${t.dateTime(kase.concluded_at)}`
            : ''}
          {kase.closed_at ? ` → ${t('cases.status.closed')} ${t.dateTime(kase.closed_at)}` : ''}
          {kase.archived_at ? ` → ${t('cases.status.archived')} ${t.dateTime(kase.archived_at)}` : ''}
        </p>
        {canManage && NEXT_STATUSES[kase.status].length ? (
          <div className="flex flex-wrap gap-2 md:col-span-2">
            {NEXT_STATUSES[kase.status].map((to) => (
              <Form method="post" key={to}>
                <input type="hidden" name="intent" value="status" />
                <input type="hidden" name="to" value={to} />
                <input type="hidden" name="version" value={kase.version} />
                <button type="submit" className="btn-secondary">
                  {t('cases.status.moveTo', { status: t(statusLabel(to)) })}
                </button>
              </Form>
            ))}
          </div>
        ) : null}
      </section>

      <section className="card mb-4" id="consultations">
        <h2 className="mb-2 text-lg">{t('cases.consultation.title')}</h2>
        {consultations.length === 0 ? <p className="text-slate-600">{t('cases.consultation.empty')}</p> : null}
        <ul className="space-y-3" data-testid="consultations">
          {consultations.map((c) => (
            <li key={c.id} className="border-t pt-2">
              <p>
                <Link to={`/experts/${c.expert_id}`} className="font-medium">
                  {c.name}
                </Link>{' '}
                · {t(`experts.tier.${c.tier}`)} · {c.employer} ·{' '}
                <span data-testid="consultation-status">{t(consultationStatusLabel(c.status))}</span> ·{' '}
                {t(`cases.consultation.source.${c.source}`)} · {t(modeLabel(c.mode))} · {t('cases.due', { date: t.date(c.deadline) })}
                {c.score_total !== null ? ` · ${t('cases.consultation.score', { score: c.score_total.toFixed(3) })}` : ''}
              </p>
              {c.override_reason ? <p className="text-sm text-slate-600">{c.override_reason}</p> : null}
              {c.decline_reason ? (
                <p className="text-sm text-slate-600">
                  {t('cases.consultation.declineReason')}：{c.decline_reason}
                </p>
              ) : null}
              {c.opinion_issues ? (
                <div className="mt-1 text-sm" data-testid="opinion">
                  <OpinionView opinion={c} />
                </div>
              ) : null}
              {c.rating ? (
                <p className="text-sm">
                  {t('cases.consultation.rating')}：{c.rating}/5 {c.rating_comment ?? ''}
                </p>
              ) : null}
              {canAssign && (c.status === 'invited' || c.status === 'accepted') ? (
                <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
                  <input type="hidden" name="intent" value="withdraw" />
                  <input type="hidden" name="consultationId" value={c.id} />
                  <label className="grid flex-1 gap-1 text-sm">
                    <span>{t('cases.consultation.withdrawReason')}</span>
                    <input name="reason" className="input" maxLength={1000} required />
                  </label>
                  <button type="submit" className="btn-danger">
                    {t('cases.consultation.withdraw')}
                  </button>
                </Form>
              ) : null}
              {canManage && c.status === 'submitted' ? (
                <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
                  <input type="hidden" name="intent" value="rate" />
                  <input type="hidden" name="consultationId" value={c.id} />
                  <label className="grid gap-1 text-sm">
                    <span>{t('cases.consultation.rating')}</span>
                    <select name="rating" className="input" defaultValue="5">
                      {[5, 4, 3, 2, 1].map((n) => (
                        <option key={n} value={n}>
                          {n}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="grid flex-1 gap-1 text-sm">
                    <span>{t('cases.consultation.comment')}</span>
                    <input name="comment" className="input" maxLength={1000} />
                  </label>
                  <button type="submit" className="btn-primary">
                    {t('cases.consultation.rate')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {canAssign ? (
        <section className="card mb-4" id="recommendations">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-lg">{t('cases.rec.title')}</h2>
            <Form method="post" className="flex flex-wrap items-center gap-2">
              <input type="hidden" name="intent" value="recommend" />
              <label className="flex items-center gap-1 text-sm">
                <input type="checkbox" name="diversify" defaultChecked={!!recommendation?.diversify} />
                <span>{t('cases.rec.diversify')}</span>
              </label>
              <button type="submit" className="btn-secondary">
                {recommendation ? t('cases.rec.rerun') : t('cases.rec.run')}
              </button>
            </Form>
          </div>
          {full ? <p className="mb-2 text-slate-600">{t('cases.rec.full')}</p> : null}
          {!recommendation ? (
            <p className="text-slate-600">{t('cases.rec.none')}</p>
          ) : (
            <>
              <p className="text-sm text-slate-600">
                {t('cases.rec.summary', {
                  eligible: recommendation.eligibleCount,
                  count: recommendation.items.length,
                  version: recommendation.configVersion,
                  at: t.dateTime(recommendation.createdAt),
                })}
                {recommendation.diversify ? (
                  <span data-testid="diversified">
                    {' '}
                    · {t('cases.rec.diversified', { max: recommendation.diversify.maxPerOrganisation })}
                  </span>
                ) : null}
              </p>
              <ol className="mt-2 space-y-3" data-testid="recommendations">
                {recommendation.items.map((item) => (
                  <li key={item.expertId} className="border-t pt-2" data-expert-id={item.expertId}>
                    <div className="flex flex-wrap items-baseline justify-between gap-2">
                      <p>
                        {item.rank}. <strong>{item.name}</strong> · {t(`experts.tier.${item.tier}`)} · {item.employer}
                        {item.deferredForDiversity ? (
                          <span className="ml-1 text-xs text-slate-600">（{t('cases.rec.deferred')}）</span>
                        ) : null}
                      </p>
                      <p>
                        {t('cases.rec.total')} <strong>{item.total.toFixed(3)}</strong>
                      </p>
                    </div>
                    <Components components={item.components} />
                    <p className="text-sm" data-testid="reasons">
                      {t('cases.rec.reasons')}：{item.reasons.map(label).join('；')}
                    </p>
                    {!full ? (
                      <Form method="post" className="mt-1 flex flex-wrap items-end gap-2">
                        <input type="hidden" name="intent" value="invite" />
                        <input type="hidden" name="source" value="recommended" />
                        <input type="hidden" name="expertId" value={item.expertId} />
                        {inviteFields}
                        <button type="submit" className="btn-primary">
                          {t('cases.rec.invite')}
                        </button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ol>
              <h3 className="mt-4 font-medium">{t('cases.rec.excluded')}</h3>
              <ul className="text-sm" data-testid="excluded">
                {recommendation.excluded.map((g) => (
                  <li key={g.family}>{label(g.message)}</li>
                ))}
              </ul>
            </>
          )}
          <div className="mt-4 border-t pt-3" id="pins">
            <h3 className="font-medium">{t('cases.pin.title')}</h3>
            <p className="text-sm text-slate-600">{t('cases.pin.help')}</p>
            {pins.length ? (
              <ul className="mt-1 text-sm" data-testid="pins">
                {pins.map((p) => (
                  <li key={p.id} data-expert-id={p.expertId}>
                    <strong>{p.name}</strong> · {p.employer} · {t.dateTime(p.at)}：{p.reason}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-sm text-slate-600">{t('cases.pin.none')}</p>
            )}
          </div>
          <div className="mt-4 border-t pt-3">
            <h3 className="font-medium">{t('cases.search.title')}</h3>
            <p className="text-sm text-slate-600">{t('cases.search.help')}</p>
            <Form method="get" className="mt-2 flex flex-wrap items-end gap-2">
              <label className="grid gap-1 text-sm">
                <span>{t('cases.search.q')}</span>
                <input name="q" defaultValue={q} className="input" type="search" />
              </label>
              <button type="submit" className="btn-secondary">
                {t('cases.search.go')}
              </button>
            </Form>
            {search ? (
              <ul className="mt-2 space-y-2" data-testid="search-results">
                {search.map((s) => (
                  <li key={s.expertId} className="border-t pt-2">
                    <p>
                      <strong>{s.name}</strong> · {t(`experts.tier.${s.tier}`)} · {s.employer}
                      {s.total !== null ? ` · ${t('cases.rec.total')} ${s.total.toFixed(3)}` : ''}
                    </p>
                    {s.reasons.length ? <p className="text-sm text-red-800">{s.reasons.map(label).join('；')}</p> : null}
                    {s.eligible && !full ? (
                      <Form method="post" className="mt-1 flex flex-wrap items-end gap-2">
                        <input type="hidden" name="intent" value="invite" />
                        <input type="hidden" name="source" value="search" />
                        <input type="hidden" name="expertId" value={s.expertId} />
                        {inviteFields}
                        <label className="grid flex-1 gap-1 text-sm">
                          <span>{t('cases.search.reason')}</span>
                          <input name="reason" className="input" maxLength={1000} />
                        </label>
                        <button type="submit" className="btn-primary">
                          {t('cases.rec.invite')}
                        </button>
                      </Form>
                    ) : null}
                    {!s.onCase && !pins.some((p) => p.expertId === s.expertId) ? (
                      <Form method="post" className="mt-1 flex flex-wrap items-end gap-2" data-testid="pin-form">
                        <input type="hidden" name="intent" value="pin" />
                        <input type="hidden" name="expertId" value={s.expertId} />
                        <label className="grid flex-1 gap-1 text-sm">
                          <span>{t('cases.pin.reason')}</span>
                          <input name="reason" className="input" maxLength={1000} required />
                        </label>
                        <button type="submit" className="btn-danger">
                          {t('cases.pin.submit')}
                        </button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </section>
      ) : null}

      {similar.length ? (
        <SimilarList items={similar} title={t('cases.similar.title')} />
      ) : (
        <section className="card mb-4" id="similar-cases">
          <h2 className="mb-2 text-lg">{t('cases.similar.title')}</h2>
          <p className="text-slate-600">{t('cases.similar.none')}</p>
        </section>
      )}
    </>
  )
}
