/** The roster sync report on a run's page: errors per cell, new, changed (before → after) and missing records. */
import type { Translator } from '#app/components/i18n.tsx'
import { useT } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/lib/i18n.ts'
import { isOrgKind, isOrgStatus, orgKindLabel, orgStatusLabel } from '#app/modules/orgs/labels.ts'
import { employmentLabel, isEmployment, isMediatorStatus, mediatorStatusLabel } from '#app/modules/people/labels.ts'
import type { RosterRunStatus } from '#db/schema.ts'
import type { FieldChange } from './diff.ts'
import type { ReportEntry, SyncReport } from './report.ts'

/** Rows shown per section; the counts above the tables are always complete. */
const SHOWN = 300

const COLUMN_LABELS: Record<string, MessageKey> = {
  code: 'rosterSync.column.code',
  name: 'rosterSync.column.name',
  kind: 'rosterSync.column.kind',
  sectorCode: 'rosterSync.column.sectorCode',
  regionCode: 'rosterSync.column.regionCode',
  address: 'rosterSync.column.address',
  contactPhone: 'rosterSync.column.contactPhone',
  status: 'rosterSync.column.status',
  idNumber: 'rosterSync.column.idNumber',
  phone: 'rosterSync.column.phone',
  orgCode: 'rosterSync.column.orgCode',
  employment: 'rosterSync.column.employment',
  cardNumber: 'rosterSync.column.cardNumber',
  startedOn: 'rosterSync.column.startedOn',
}

export const STATUS_LABELS: Record<RosterRunStatus, MessageKey> = {
  uploaded: 'rosterSync.status.uploaded',
  previewed: 'rosterSync.status.previewed',
  applied: 'rosterSync.status.applied',
  discarded: 'rosterSync.status.discarded',
}

export function displayValue(t: Translator, report: SyncReport, field: string, value: string | null): string {
  if (value === null || value === '') return t('rosterSync.value.empty')
  if (field === 'kind' && isOrgKind(value)) return t(orgKindLabel(value))
  if (field === 'employment' && isEmployment(value)) return t(employmentLabel(value))
  if (field === 'status' && report.kind === 'orgs' && isOrgStatus(value)) return t(orgStatusLabel(value))
  if (field === 'status' && report.kind === 'mediators' && isMediatorStatus(value)) return t(mediatorStatusLabel(value))
  if (field === 'startedOn') return t.date(value)
  const name = report.names[value]
  if ((field === 'regionCode' || field === 'sectorCode') && name) return `${name}（${value}）`
  return value
}

function Changes({ report, changes, created }: { report: SyncReport; changes: FieldChange[]; created?: boolean }) {
  const t = useT()
  return (
    <ul className="flex flex-col gap-0.5">
      {changes.map((c) => (
        <li key={c.field}>
          <span className="text-slate-600">{t(COLUMN_LABELS[c.field] ?? 'rosterSync.field.unknown')}：</span>
          {created ? null : (
            <>
              <del className="text-red-800">{displayValue(t, report, c.field, c.before)}</del>
              <span aria-hidden="true"> → </span>
              <span className="sr-only">{t('rosterSync.preview.after')}</span>
            </>
          )}
          <ins className="text-green-900 no-underline">{displayValue(t, report, c.field, c.after)}</ins>
        </li>
      ))}
    </ul>
  )
}

function More({ total }: { total: number }) {
  const t = useT()
  return total > SHOWN ? <p className="px-3 py-2 text-sm text-slate-600">{t('rosterSync.preview.more', { count: total - SHOWN })}</p> : null
}

function EntryTable({
  report,
  entries,
  caption,
  testId,
  created,
}: { report: SyncReport; entries: ReportEntry[]; caption: string; testId: string; created?: boolean }) {
  const t = useT()
  if (!entries.length) return null
  return (
    <div className="card mt-4 overflow-x-auto p-0 sm:p-0">
      <table className="w-full border-collapse text-left text-sm sm:text-base" data-testid={testId}>
        <caption className="px-3 py-2 text-left font-semibold">
          {caption} ({entries.length})
        </caption>
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className="px-3 py-2">
              {t('rosterSync.preview.row')}
            </th>
            <th scope="col" className="px-3 py-2">
              {t('rosterSync.preview.label')}
            </th>
            <th scope="col" className="px-3 py-2">
              {t('rosterSync.preview.key')}
            </th>
            <th scope="col" className="px-3 py-2">
              {created ? t('rosterSync.preview.field') : `${t('rosterSync.preview.before')} → ${t('rosterSync.preview.after')}`}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.slice(0, SHOWN).map((e) => (
            <tr key={`${e.row}-${e.key}`} className="border-t border-slate-200 align-top">
              <td className="px-3 py-2">{e.row}</td>
              <td className="px-3 py-2">{e.label}</td>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-sm">{e.key}</td>
              <td className="px-3 py-2">
                {e.link ? <p className="text-slate-700">{t('rosterSync.preview.linked', { code: e.key })}</p> : null}
                <Changes report={report} changes={e.changes} created={created} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <More total={entries.length} />
    </div>
  )
}

export function ErrorTable({ report }: { report: SyncReport }) {
  const t = useT()
  if (!report.errors.length) return null
  return (
    <div className="card mt-4 overflow-x-auto p-0 sm:p-0">
      <table className="w-full border-collapse text-left text-sm sm:text-base" data-testid="sync-errors">
        <caption className="px-3 py-2 text-left font-semibold text-red-800">{t('rosterSync.preview.errors.caption')}</caption>
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className="px-3 py-2">
              {t('rosterSync.preview.row')}
            </th>
            <th scope="col" className="px-3 py-2">
              {t('rosterSync.preview.label')}
            </th>
            <th scope="col" className="px-3 py-2">
              {t('rosterSync.preview.column')}
            </th>
            <th scope="col" className="px-3 py-2">
              {t('rosterSync.preview.message')}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.errors.slice(0, SHOWN).flatMap((row) =>
            row.errors.map((error, i) => (
              <tr key={`${row.row}-${i}`} className="border-t border-slate-200 align-top">
                <td className="px-3 py-2">{i === 0 ? row.row : ''}</td>
                <td className="px-3 py-2">{i === 0 ? row.label : ''}</td>
                <td className="whitespace-nowrap px-3 py-2">{error.column || t('rosterSync.preview.wholeRow')}</td>
                <td className="px-3 py-2">{t.ref(error.message)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <More total={report.errors.length} />
    </div>
  )
}

export function ReportTables({ report }: { report: SyncReport }) {
  const t = useT()
  return (
    <>
      <ErrorTable report={report} />
      <EntryTable
        report={report}
        entries={report.created}
        caption={t('rosterSync.preview.created.caption')}
        testId="sync-created"
        created
      />
      <EntryTable report={report} entries={report.changed} caption={t('rosterSync.preview.changed.caption')} testId="sync-changed" />
      {report.missing.length ? (
        <div className="card mt-4">
          <h2 className="font-semibold">
            {t('rosterSync.preview.missing.caption')} ({report.missing.length})
          </h2>
          <p className="text-sm text-slate-600">{t('rosterSync.preview.missing.hint')}</p>
          <ul className="mt-2 list-disc pl-6" data-testid="sync-missing">
            {report.missing.slice(0, SHOWN).map((m) => (
              <li key={m.key}>
                {m.label} · <span className="font-mono text-sm">{m.key}</span>
              </li>
            ))}
          </ul>
          <More total={report.missing.length} />
        </div>
      ) : null}
    </>
  )
}
