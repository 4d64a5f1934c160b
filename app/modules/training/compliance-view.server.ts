/**
 * The compliance report as the page shows it (summary per organisation in scope, or one
 * organisation's mediators). Its parser and line shapes are shared with the background .xlsx
 * export (app/modules/jobs/exports/compliance.server.ts) so both say the same.
 */
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { type AuthUser, requireRecordAccess, scopeFor } from '#app/modules/auth/authz.server.ts'
import { type MediatorCompliance, complianceSummary, orgCompliance, orgScope } from './compliance.server.ts'
import { fromTenths } from './rules.ts'

/**
 * The page's parameters: the year (this year in China unless a valid one is named) and the
 * organisation, if one is named (its id unchecked: the page answers 404 for a malformed one).
 */
export function parseComplianceQuery(url: URL, today: string): { year: number; org: string | null } {
  const yearParam = Number(url.searchParams.get('year'))
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= 2100 ? yearParam : Number(today.slice(0, 4))
  return { year, org: url.searchParams.get('org') || null }
}

/** An organisation's mediators as the page and the export list them (hours in whole units). */
export function complianceLines(mediators: readonly MediatorCompliance[]) {
  return mediators.map((m) => ({
    personId: m.personId,
    name: m.name,
    category: m.category,
    required: fromTenths(m.requiredTenths),
    earned: fromTenths(m.earnedTenths),
    missing: fromTenths(m.missingTenths),
    behind: m.behind,
    preService: m.preService,
  }))
}

export async function complianceView(request: Request, user: AuthUser) {
  const url = new URL(request.url)
  const today = todayInChina()
  const { year, org: orgId } = parseComplianceQuery(url, today)
  const db = getDb()
  if (orgId) {
    if (!isId(orgId)) notFound()
    const org = await orgScope(db, orgId)
    if (!org) notFound()
    await requireRecordAccess(request, user, 'training:manage', {
      type: 'organisation',
      id: org.id,
      regionPath: org.regionPath,
      orgId: org.id,
    })
    const report = await orgCompliance(db, orgId, year, today)
    if (!report) notFound()
    return {
      year,
      summary: null,
      report: {
        org: report.org,
        hasPlan: !!report.plan,
        mediators: complianceLines(report.mediators),
      },
    }
  }
  return { year, summary: await complianceSummary(db, scopeFor(user, 'training:manage'), year, today), report: null }
}

export type ComplianceView = Awaited<ReturnType<typeof complianceView>>
