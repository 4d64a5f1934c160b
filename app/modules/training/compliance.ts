/**
 * Plan compliance as pure functions: which plan applies to an organisation, a mediator's
 * category, and whether they are behind on hours or on pre-service training.
 */
export type MediatorCategory = 'full_time' | 'part_time' | 'sector'

export interface PlanRule {
  id: string
  year: number
  regionPath: string
  orgId: string | null
  fullTimeTenths: number
  partTimeTenths: number
  sectorTenths: number
  preServiceMonths: number
}

/**
 * The plan for an organisation in a year: its own plan, else the plan of the nearest region
 * above it (the longest region path that contains the organisation's region).
 */
export function planFor(plans: PlanRule[], year: number, org: { id: string; regionPath: string }): PlanRule | null {
  const own = plans.find((p) => p.year === year && p.orgId === org.id)
  if (own) return own
  const regional = plans.filter((p) => p.year === year && p.orgId === null && org.regionPath.startsWith(p.regionPath))
  return regional.sort((a, b) => b.regionPath.length - a.regionPath.length)[0] ?? null
}

/** Sector (行专) committees' mediators form their own category, whatever their employment. */
export function categoryOf(employment: 'full_time' | 'part_time', orgKind: string): MediatorCategory {
  return orgKind === 'committee_sector' ? 'sector' : employment
}

export function requiredTenths(plan: PlanRule, category: MediatorCategory): number {
  return category === 'full_time' ? plan.fullTimeTenths : category === 'part_time' ? plan.partTimeTenths : plan.sectorTenths
}

/** Adds whole months to a YYYY-MM-DD date, clamping to the month's last day (01-31 + 1 → 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

export type PreServiceState = 'done' | 'due' | 'overdue' | 'unknown'

export function preServiceState(done: boolean, startedOn: string | null, months: number, today: string): PreServiceState {
  if (done) return 'done'
  if (!startedOn) return 'unknown'
  return today > addMonths(startedOn, months) ? 'overdue' : 'due'
}

export interface ComplianceInput {
  employment: 'full_time' | 'part_time'
  orgKind: string
  startedOn: string | null
  earnedTenths: number
  preServiceDone: boolean
}

export interface ComplianceResult {
  category: MediatorCategory
  requiredTenths: number
  earnedTenths: number
  /** Hours still missing this year (0 when met). */
  missingTenths: number
  behind: boolean
  preService: PreServiceState
}

export function assess(plan: PlanRule, m: ComplianceInput, today: string): ComplianceResult {
  const category = categoryOf(m.employment, m.orgKind)
  const required = requiredTenths(plan, category)
  const missing = Math.max(0, required - m.earnedTenths)
  const preService = preServiceState(m.preServiceDone, m.startedOn, plan.preServiceMonths, today)
  return {
    category,
    requiredTenths: required,
    earnedTenths: m.earnedTenths,
    missingTenths: missing,
    behind: missing > 0 || preService === 'overdue',
    preService,
  }
}

/**
 * The started_on bound below which a mediator without pre-service training is overdue, so SQL can
 * compare strings instead of adding months per row: `started_on < cutoff` ⇔
 * `preServiceState(false, started_on, months, today) === 'overdue'`. The cutoff is the day of
 * `today` in the month `months` earlier and may not exist (2026-02-31): as a string it still sorts
 * after every real day of that month before today's day, which is exactly the rule (addMonths
 * clamps to the month's last day, and that day is never after today's).
 */
export function preServiceCutoff(today: string, months: number): string {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const total = y * 12 + (m - 1) - months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  return `${year}-${String(month).padStart(2, '0')}-${today.slice(8, 10)}`
}
