/**
 * 培训达标情况 as a background export: the compliance page's year, and either the summary per
 * organisation in the owner's training:manage scope or one organisation's mediators (record
 * access to that organisation, checked at creation, at worker start and at download). The file is
 * the page's table as it was built in the request: no title lines, names and figures only.
 */
import { DEFAULT_LOCALE, isLocale, translate } from '#app/lib/i18n.ts'
import { isId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { scopeFor } from '#app/modules/auth/authz.server.ts'
import { allows, hasPermission } from '#app/modules/auth/policy.ts'
import { complianceLines, parseComplianceQuery } from '#app/modules/training/compliance-view.server.ts'
import { complianceSummary, orgCompliance, orgScope } from '#app/modules/training/compliance.server.ts'
import { complianceReportRow, complianceSheetLayout, complianceSummaryRow } from '#app/modules/training/export.server.ts'
import type { TrainingComplianceParams } from '../kinds.ts'
import type { SheetValue } from '../xlsx-stream.server.ts'
import type { ExportKind } from './shared.server.ts'

const REGION_PATH = /^(\/\d{6,12})+\/$/

/** Lines in slices of the runner's batch size, so progress is reported and requests served between them. */
function* slices<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}

export const trainingCompliance: ExportKind<'training.compliance'> = {
  kind: 'training.compliance',
  listPath: '/training/compliance',
  startPath: '/training/compliance.xlsx',
  // One record type for both variants: the download's audit event names the organisation in its detail.
  audit: { action: 'training.compliance_exported', recordType: 'training_compliance' },
  // One organisation's report shows in that organisation's history, as it did when built in the request.
  auditRecord: (params) => (params.org ? { recordType: 'organisation', recordId: params.org } : null),
  revealPermission: null,
  paramsFromUrl(url) {
    const { year, org } = parseComplianceQuery(url, todayInChina())
    // `orgPath` and `locale` are set by the start route (the organisation's region path from the
    // database, the request's language); anything else in their place is dropped.
    const orgPath = url.searchParams.get('orgPath')
    const locale = url.searchParams.get('locale')
    return {
      year,
      org: org && isId(org) ? org : null,
      orgPath: org && orgPath && REGION_PATH.test(orgPath) ? orgPath : null,
      locale: isLocale(locale) ? locale : DEFAULT_LOCALE,
      full: false,
    }
  },
  allowed(user, params) {
    if (!hasPermission(user, 'training:manage')) return false
    if (!params.org) return true
    // One organisation: its managers in reach (an org manager their own, staff their region's).
    return params.orgPath !== null && allows(user, 'training:manage', { orgId: params.org, regionPath: params.orgPath })
  },
  async prepare(db, user, params: TrainingComplianceParams) {
    const locale = params.locale
    const today = todayInChina()
    let lines: SheetValue[][]
    let orgName: string | null = null
    if (params.org) {
      // The organisation may have moved since the job was started: the scope check follows it.
      const org = await orgScope(db, params.org)
      if (!org || !allows(user, 'training:manage', { orgId: org.id, regionPath: org.regionPath })) {
        throw new Error('organisation gone or out of scope')
      }
      const report = await orgCompliance(db, org.id, params.year, today)
      if (!report) throw new Error('organisation gone')
      orgName = report.org.name
      lines = complianceLines(report.mediators).map((m) => complianceReportRow(locale, report.org.name, m))
    } else {
      // One grouped query, one line per organisation (a city: 7,800 lines from 40,000 mediators);
      // resolving the plans per organisation batch would repeat that work for every batch.
      const summary = await complianceSummary(db, scopeFor(user, 'training:manage'), params.year, today)
      lines = summary.map((s) => complianceSummaryRow(locale, s))
    }
    let count = 0
    const fileName = translate(locale, 'training.compliance.fileName', { year: params.year })
    return {
      sheet: complianceSheetLayout(locale, params.year, params.org ? 'report' : 'summary'),
      fileName: `${fileName}${orgName ? `-${orgName.slice(0, 100)}` : ''}.xlsx`,
      total: () => lines.length,
      async *batches(batchSize) {
        for (const slice of slices(lines, batchSize)) {
          count += slice.length
          yield [...slice]
        }
      },
      detail: () => (params.org ? { year: params.year, org: params.org, rows: count } : { year: params.year, rows: count }),
    }
  },
}
