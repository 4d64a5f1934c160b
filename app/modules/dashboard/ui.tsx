/**
 * The home dashboard's panels. Each figure is a link to the page behind it; the layout is one
 * column on a phone (360 px) and a grid from `sm` up. No client-side JavaScript is needed.
 */
import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/lib/i18n.ts'
import type { AssociationPanel, ExpertPanel, MediatorPanel, StaffPanel } from './home.server.ts'
import { hours } from './panels.ts'

function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card min-w-0" aria-labelledby={`panel-${id}`} data-panel={id}>
      <h2 id={`panel-${id}`} className="text-lg">
        {title}
      </h2>
      <div className="mt-3 space-y-4">{children}</div>
    </section>
  )
}

/** One figure with its label, linking to the list behind it. */
function Figure({ to, value, label, tone, testId }: { to: string; value: ReactNode; label: string; tone?: 'warn'; testId?: string }) {
  return (
    <li>
      <Link
        to={to}
        className="block rounded border border-slate-200 p-3 no-underline hover:border-accent-600 focus-visible:border-accent-600"
        data-testid={testId}
      >
        <span className={`block text-2xl font-semibold ${tone === 'warn' ? 'text-red-800' : 'text-slate-900'}`}>{value}</span>
        <span className="block text-sm text-slate-700">{label}</span>
      </Link>
    </li>
  )
}

function Figures({ children }: { children: ReactNode }) {
  return <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3">{children}</ul>
}

function Subheading({ children }: { children: ReactNode }) {
  return <h3 className="text-base font-semibold text-slate-800">{children}</h3>
}

/** A decorative bar: the same figure is always written out beside it for screen readers. */
function Bar({ value }: { value: number }) {
  return (
    <div className="mt-1 h-3 w-full overflow-hidden rounded bg-slate-200" aria-hidden="true">
      <div className="h-full bg-accent-600" style={{ width: `${value}%` }} />
    </div>
  )
}

export function MediatorPanelView({ data }: { data: MediatorPanel | null }) {
  const t = useT()
  if (!data) {
    return (
      <Panel id="mediator" title={t('dashboard.mediator.title')}>
        <p className="text-slate-700">{t('dashboard.mediator.noRecord')}</p>
      </Panel>
    )
  }
  const { training, drills, library, grade } = data
  const earned = hours(training.earnedTenths)
  return (
    <Panel id="mediator" title={t('dashboard.mediator.title')}>
      <div>
        <Subheading>{t('dashboard.mediator.training', { year: data.year })}</Subheading>
        <p className="mt-1" data-testid="mediator-hours">
          {training.requiredTenths !== null
            ? t('dashboard.mediator.hoursOfPlan', { earned, required: hours(training.requiredTenths) })
            : t('dashboard.mediator.hoursNoPlan', { earned })}
        </p>
        {training.percent !== null ? <Bar value={training.percent} /> : null}
        {training.compliance ? (
          <p className={`mt-1 text-sm ${training.compliance.behind ? 'text-red-800' : 'text-green-800'}`}>
            {training.compliance.missingTenths > 0
              ? t('dashboard.mediator.missing', { missing: hours(training.compliance.missingTenths) })
              : t('dashboard.mediator.onTrack')}
            {training.compliance.preService === 'overdue' ? ` · ${t('dashboard.mediator.preServiceOverdue')}` : null}
          </p>
        ) : null}
        <p className="mt-1 flex flex-wrap gap-3 text-sm">
          <Link to="/training/archive/me">{t('dashboard.mediator.archive')}</Link>
          {data.continueAt ? (
            <Link to={`/training/courses/${data.continueAt.courseSlug}/${data.continueAt.moduleSlug}`}>
              {t('dashboard.mediator.continue')}
            </Link>
          ) : null}
        </p>
      </div>
      <Figures>
        <Figure to="/training" value={data.modulesInProgress} label={t('dashboard.mediator.modulesInProgress')} testId="mediator-modules" />
        <Figure to="/drills" value={drills.openEvents} label={t('dashboard.mediator.openEvents')} testId="mediator-open-events" />
        <Figure
          to="/drills"
          value={drills.dueEvents}
          label={t('dashboard.mediator.dueEvents')}
          tone={drills.dueEvents ? 'warn' : undefined}
          testId="mediator-due-events"
        />
        <Figure to="/drills" value={drills.inProgress} label={t('dashboard.mediator.inProgress')} />
        <Figure to="/drills" value={drills.draftsWaiting} label={t('dashboard.mediator.draftsWaiting')} testId="mediator-drafts-waiting" />
        <Figure
          to="/drills"
          value={drills.draftsReturned}
          label={t('dashboard.mediator.draftsReturned')}
          tone={drills.draftsReturned ? 'warn' : undefined}
          testId="mediator-drafts-returned"
        />
      </Figures>
      <div>
        <Subheading>{t('dashboard.mediator.library')}</Subheading>
        <Figures>
          {(['submitted', 'returned', 'accepted', 'draft'] as const).map((s) => (
            <Figure
              key={s}
              to="/library/submissions"
              value={library[s]}
              label={t(`dashboard.mediator.library.${s}`)}
              tone={s === 'returned' && library[s] ? 'warn' : undefined}
              testId={`mediator-library-${s}`}
            />
          ))}
        </Figures>
      </div>
      <div data-testid="mediator-grade">
        <Subheading>{t('dashboard.mediator.grade')}</Subheading>
        {grade ? (
          <p className="mt-1">
            <Link to="/grading" className="font-semibold">
              {grade.name}
            </Link>{' '}
            <span className={grade.state === 'valid' ? 'text-slate-700' : 'text-red-800'}>
              {t('dashboard.mediator.gradeValidUntil', { date: t.date(grade.validUntil) })} · {t(`dashboard.expiry.${grade.state}`)}
            </span>
          </p>
        ) : (
          <p className="mt-1 text-slate-700">{t('dashboard.mediator.noGrade')}</p>
        )}
      </div>
    </Panel>
  )
}

export function StaffPanelView({ data }: { data: StaffPanel }) {
  const t = useT()
  return (
    <Panel id="staff" title={t('dashboard.staff.title')}>
      {data.cases ? (
        <div>
          <Subheading>{t('dashboard.staff.cases')}</Subheading>
          <Figures>
            <Figure to="/cases?status=open" value={data.cases.open} label={t('dashboard.staff.openCases')} testId="staff-open-cases" />
            <Figure
              to="/cases/batch"
              value={data.cases.waitingForExperts}
              label={t('dashboard.staff.waitingForExperts')}
              testId="staff-waiting"
            />
            <Figure
              to="/cases?status=open"
              value={data.cases.overdue}
              label={t('dashboard.staff.overdue')}
              tone={data.cases.overdue ? 'warn' : undefined}
              testId="staff-overdue"
            />
            {data.staleInvitations ? (
              <Figure
                to="/cases?status=consulting"
                value={data.staleInvitations.count}
                label={t('dashboard.staff.staleInvitations', { days: data.staleInvitations.days })}
                tone={data.staleInvitations.count ? 'warn' : undefined}
                testId="staff-stale-invitations"
              />
            ) : null}
          </Figures>
        </div>
      ) : null}
      {data.pool ? (
        <div>
          <Subheading>
            {t('dashboard.staff.pool')} · {t('dashboard.staff.poolTotal', { n: data.pool.total })}
          </Subheading>
          <Figures>
            {(['national', 'provincial', 'municipal', 'district'] as const).map((tier) => (
              <Figure
                key={tier}
                to={`/experts?tier=${tier}&status=active`}
                value={data.pool!.byTier[tier]}
                label={t(`experts.tier.${tier}` as MessageKey)}
                testId={`staff-tier-${tier}`}
              />
            ))}
          </Figures>
          {data.pool.topDomains.length ? (
            <>
              <p className="mt-2 text-sm text-slate-700">{t('dashboard.staff.topDomains')}</p>
              <ul className="mt-1 flex flex-wrap gap-2 text-sm" data-testid="staff-domains">
                {data.pool.topDomains.map((d) => (
                  <li key={d.code}>
                    <Link
                      to={`/experts?domain=${encodeURIComponent(d.code)}&status=active`}
                      className="rounded bg-slate-100 px-2 py-1 no-underline"
                    >
                      {t.locale === 'en' ? d.nameEn : d.name} {d.n}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {data.terms ? (
        <div>
          <Subheading>{t('dashboard.staff.terms')}</Subheading>
          <Figures>
            <Figure
              to="/experts/renewals"
              value={data.terms.expiring}
              label={t('dashboard.staff.termsExpiring', { days: data.terms.windowDays })}
              testId="staff-terms-expiring"
            />
            <Figure
              to="/experts/renewals"
              value={data.terms.expired}
              label={t('dashboard.staff.termsExpired')}
              tone={data.terms.expired ? 'warn' : undefined}
              testId="staff-terms-expired"
            />
          </Figures>
        </div>
      ) : null}
      {data.compliance ? (
        <div>
          <Subheading>{t('dashboard.staff.compliance', { year: data.compliance.year })}</Subheading>
          <Figures>
            <Figure to="/training/compliance" value={data.compliance.orgs} label={t('dashboard.staff.complianceOrgs')} />
            <Figure to="/training/compliance" value={data.compliance.mediators} label={t('dashboard.staff.complianceMediators')} />
            <Figure
              to="/training/compliance"
              value={data.compliance.behind}
              label={t('dashboard.staff.complianceBehind')}
              tone={data.compliance.behind ? 'warn' : undefined}
              testId="staff-behind"
            />
            <Figure to="/training/compliance" value={data.compliance.preServiceOverdue} label={t('dashboard.staff.preServiceOverdue')} />
            <Figure to="/training/plans" value={data.compliance.withoutPlan} label={t('dashboard.staff.withoutPlan')} />
          </Figures>
          {data.compliance.worst.length ? (
            <>
              <p className="mt-2 text-sm text-slate-700">{t('dashboard.staff.worst')}</p>
              <ul className="mt-1 space-y-1 text-sm">
                {data.compliance.worst.map((o) => (
                  <li key={o.orgId} className="flex flex-wrap justify-between gap-2">
                    <Link to={`/training/compliance?org=${o.orgId}`} className="break-all">
                      {o.orgName}
                    </Link>
                    <span className="text-red-800">{t('dashboard.staff.behindOf', { behind: o.behind, mediators: o.mediators })}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </Panel>
  )
}

export function AssociationPanelView({ data }: { data: AssociationPanel }) {
  const t = useT()
  return (
    <Panel id="association" title={t('dashboard.association.title')}>
      <Figures>
        <Figure
          to="/grading"
          value={data.openObjections}
          label={t('dashboard.association.openObjections')}
          tone={data.openObjections ? 'warn' : undefined}
          testId="association-objections"
        />
        <Figure
          to="/grading/grades"
          value={data.gradesExpiring.count}
          label={t('dashboard.association.gradesExpiring', { days: data.gradesExpiring.days })}
          testId="association-expiring"
        />
      </Figures>
      <div>
        <Subheading>{t('dashboard.association.rounds')}</Subheading>
        {data.rounds.length === 0 ? (
          <p className="mt-1 text-slate-700">{t('dashboard.association.noRounds')}</p>
        ) : (
          <ul className="mt-2 space-y-2" data-testid="association-rounds">
            {data.rounds.map((r) => (
              <li key={r.id} className="rounded border border-slate-200 p-3" data-round={r.id}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <Link to={`/grading/rounds/${r.id}`} className="font-semibold break-all">
                    {r.title}
                  </Link>
                  <span className="rounded bg-accent-50 px-2 text-sm text-accent-800">{t(`dashboard.round.${r.status}`)}</span>
                </div>
                <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-slate-700">
                  <span>{t('dashboard.association.applications', { n: r.applications })}</span>
                  <span>{t('dashboard.association.closeOn', { date: t.date(r.applicationsCloseOn) })}</span>
                  <span className={r.openObjections ? 'text-red-800' : undefined}>
                    {t('dashboard.association.objectionsOfRound', { n: r.openObjections })}
                  </span>
                </p>
                <p className="mt-1 text-sm">
                  {t('dashboard.association.reviews', { submitted: r.reviews.submitted, assigned: r.reviews.assigned })}
                </p>
                {r.reviews.percent !== null ? <Bar value={r.reviews.percent} /> : null}
              </li>
            ))}
          </ul>
        )}
        <p className="mt-2 flex flex-wrap gap-3 text-sm">
          <Link to="/grading">{t('dashboard.association.allRounds')}</Link>
          <Link to="/grading/grades">{t('dashboard.association.grades')}</Link>
        </p>
      </div>
    </Panel>
  )
}

export function ExpertPanelView({ data }: { data: ExpertPanel }) {
  const t = useT()
  if (!data.registered) {
    return (
      <Panel id="expert" title={t('dashboard.expert.title')}>
        <p className="text-slate-700">{t('dashboard.expert.noRecord')}</p>
      </Panel>
    )
  }
  return (
    <Panel id="expert" title={t('dashboard.expert.title')}>
      <Figures>
        <Figure
          to="/me/consultations"
          value={data.byStatus.invited}
          label={t('dashboard.expert.invited')}
          tone={data.byStatus.invited ? 'warn' : undefined}
          testId="expert-invited"
        />
        <Figure to="/me/consultations" value={data.byStatus.accepted} label={t('dashboard.expert.opinionsDue')} testId="expert-due" />
      </Figures>
      {data.byStatus.accepted ? (
        <p className="text-sm">
          {data.opinionsOverdue ? (
            <span className="text-red-800">{t('dashboard.expert.opinionsOverdue', { n: data.opinionsOverdue })} · </span>
          ) : null}
          {data.nextDeadline ? t('dashboard.expert.nextDeadline', { date: t.date(data.nextDeadline) }) : null}
        </p>
      ) : null}
      <div>
        <Subheading>{t('dashboard.expert.history')}</Subheading>
        <p className="mt-1 flex flex-wrap gap-x-3 text-sm" data-testid="expert-history">
          <span>{t('dashboard.expert.completed', { n: data.history.completed })}</span>
          {data.history.ratingAverage !== null ? <span>{t('dashboard.expert.rating', { rating: data.history.ratingAverage })}</span> : null}
          <span>{t('dashboard.expert.hours', { hours: hours(data.history.hoursTenths) })}</span>
        </p>
        <p className="mt-1 flex flex-wrap gap-3 text-sm">
          <Link to="/me/consultations">{t('dashboard.expert.history')}</Link>
          <Link to="/me/expert">{t('dashboard.expert.profile')}</Link>
        </p>
      </div>
    </Panel>
  )
}
