/**
 * The frozen evidence of an application, read-only. Used by the application page (G1) and by the
 * blind scoring page (G2): it shows only what the snapshot holds, which carries no identity.
 * `attachmentHref` lets each page serve attachments through its own access-checked route.
 */
import { useT } from '#app/components/i18n.tsx'
import type { EvidenceSnapshot } from '../evidence.ts'

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="card min-w-0">
      <h3 className="mb-2 text-base font-semibold">{title}</h3>
      {children}
    </section>
  )
}

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="flex flex-wrap justify-between gap-x-3 border-b border-slate-100 py-1 text-sm last:border-0">
      <dt className="text-slate-600">{label}</dt>
      <dd className="font-medium">{value}</dd>
    </div>
  )
}

export function EvidenceView({
  evidence,
  attachmentHref,
}: {
  evidence: EvidenceSnapshot | null
  attachmentHref?: (attachment: EvidenceSnapshot['attachments'][number]) => string
}) {
  const t = useT()
  if (!evidence) return <p className="card text-sm text-slate-600">{t('grading.evidence.missing')}</p>
  const { work, currentGrade, caseStats, training, drills, library, declarations, attachments } = evidence
  const hoursYears = Object.keys(training.hoursByYear).sort()
  return (
    <div className="grid gap-4 md:grid-cols-2" data-testid="evidence-view">
      <Section title={t('grading.evidence.work')}>
        <dl>
          <Row label={t('grading.evidence.startedOn')} value={work.startedOn ? t.date(work.startedOn) : t('grading.evidence.unknown')} />
          <Row label={t('grading.evidence.yearsOfWork')} value={work.years ?? t('grading.evidence.unknown')} />
          <Row
            label={t('grading.evidence.currentGrade')}
            value={
              currentGrade
                ? t('grading.evidence.gradeSince', { grade: currentGrade.name, since: t.date(currentGrade.since) })
                : t('grading.evidence.noGrade')
            }
          />
          <Row label={t('grading.evidence.gatheredOn')} value={t.date(evidence.gatheredOn)} />
        </dl>
        {evidence.gradeHistory.length > 1 ? (
          <ul className="mt-2 text-xs text-slate-600">
            {evidence.gradeHistory.map((g) => (
              <li key={`${g.code}-${g.validFrom}`}>
                {g.name}: {t.date(g.validFrom)} – {t.date(g.endedOn ?? g.validUntil)}
              </li>
            ))}
          </ul>
        ) : null}
      </Section>

      <Section title={t('grading.evidence.caseStats', { from: caseStats.years[0] ?? '', to: caseStats.years.at(-1) ?? '' })}>
        {caseStats.rows.length ? (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead>
                <tr className="text-left text-slate-600">
                  <th className="pr-2">{t('grading.caseStats.year')}</th>
                  <th className="pr-2">{t('grading.caseStats.disputes')}</th>
                  <th className="pr-2">{t('grading.caseStats.successful')}</th>
                  <th>{t('grading.caseStats.oral')}</th>
                </tr>
              </thead>
              <tbody>
                {caseStats.rows.map((r) => (
                  <tr key={r.year}>
                    <td className="pr-2">{r.year}</td>
                    <td className="pr-2">{r.disputes}</td>
                    <td className="pr-2">{r.successful}</td>
                    <td>{r.oral}</td>
                  </tr>
                ))}
                <tr className="border-t font-semibold">
                  <td className="pr-2">{t('grading.evidence.total')}</td>
                  <td className="pr-2">{caseStats.totals.disputes}</td>
                  <td className="pr-2">{caseStats.totals.successful}</td>
                  <td>{caseStats.totals.oral}</td>
                </tr>
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-sm text-slate-600">{t('grading.evidence.noStats')}</p>
        )}
        {caseStats.unconfirmedYears.length ? (
          <p className="mt-2 text-sm text-amber-800">
            {t('grading.evidence.unconfirmed', { years: caseStats.unconfirmedYears.join('、') })}
          </p>
        ) : null}
      </Section>

      <Section title={t('grading.evidence.training')}>
        <dl>
          {hoursYears.length ? (
            hoursYears.map((y) => <Row key={y} label={t('grading.evidence.hoursIn', { year: y })} value={training.hoursByYear[y]} />)
          ) : (
            <Row label={t('grading.evidence.hours')} value={0} />
          )}
          <Row label={t('grading.evidence.preService')} value={training.preServiceDone ? t('common.yes') : t('common.no')} />
        </dl>
        {training.completedCourses.length ? (
          <ul className="mt-2 list-disc pl-5 text-sm">
            {training.completedCourses.map((c) => (
              <li key={`${c.title}-${c.completedOn}`}>
                {c.title}（{c.hours}）{t.date(c.completedOn)}
              </li>
            ))}
          </ul>
        ) : null}
      </Section>

      <Section title={t('grading.evidence.drills')}>
        <dl>
          <Row label={t('grading.evidence.drillsAttempted')} value={drills.attempted} />
          <Row label={t('grading.evidence.drillsPassed')} value={drills.passed} />
        </dl>
        {drills.drills.length ? (
          <ul className="mt-2 list-disc pl-5 text-sm">
            {drills.drills.map((d) => (
              <li key={d.slug}>
                {d.slug}: {t('grading.evidence.drillBest', { best: d.best ?? '—' })} {d.passed ? t('grading.evidence.drillPassed') : ''}
              </li>
            ))}
          </ul>
        ) : null}
      </Section>

      <Section title={t('grading.evidence.library')}>
        {library.accepted.length ? (
          <ul className="list-disc pl-5 text-sm">
            {library.accepted.map((c) => (
              <li key={`${c.title}-${c.acceptedAt}`}>
                {c.title}（{t.date(c.acceptedAt)}）
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t('grading.evidence.noLibrary')}</p>
        )}
      </Section>

      <Section title={t('grading.evidence.declarations')}>
        <dl>
          <Row
            label={t('grading.declare.noCriminalConversion')}
            value={declarations.noCriminalConversion ? t('grading.evidence.declared') : t('grading.evidence.notDeclared')}
          />
          <Row
            label={t('grading.declare.noMisconduct')}
            value={declarations.noMisconduct ? t('grading.evidence.declared') : t('grading.evidence.notDeclared')}
          />
        </dl>
        <h4 className="mt-3 text-sm font-semibold">{t('grading.attachments.title')}</h4>
        {attachments.length ? (
          <ul className="list-disc pl-5 text-sm">
            {attachments.map((a) => {
              const label = t('grading.attachments.neutralName', { n: a.label })
              return (
                <li key={a.id}>
                  {attachmentHref ? (
                    <a href={attachmentHref(a)} className="underline">
                      {label}
                    </a>
                  ) : (
                    label
                  )}{' '}
                  <span className="text-slate-600">
                    {a.mime} · {Math.ceil(a.sizeBytes / 1024)} KB
                  </span>
                </li>
              )
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t('grading.attachments.none')}</p>
        )}
      </Section>
    </div>
  )
}
