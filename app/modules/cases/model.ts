/**
 * Difficult cases (疑难复杂纠纷): codes, the status lifecycle and the case number, as pure data.
 */
import { isCalendarDate } from '#app/lib/time.ts'
import type { CaseDifficulty, CaseSource, CaseStatus, ConsultationMode, ConsultationStatus } from '#db/schema.ts'

export const CASE_SOURCES = [
  'party',
  'committee',
  'court',
  'police',
  'petition',
  'procuratorate',
  'other',
] as const satisfies readonly CaseSource[]
export const CASE_DIFFICULTIES = ['ordinary', 'complex', 'major'] as const satisfies readonly CaseDifficulty[]
export const CONSULTATION_MODES = ['written', 'joining', 'remote'] as const satisfies readonly ConsultationMode[]
export const CASE_STATUSES = [
  'registered',
  'accepted',
  'mediating',
  'consulting',
  'succeeded',
  'failed',
  'closed',
  'archived',
] as const satisfies readonly CaseStatus[]

/** Where each status may go next (登记 → 受理 → 调解中/专家咨询 → 调解成功|调解不成 → 结案 → 归档). */
export const NEXT_STATUSES: Record<CaseStatus, readonly CaseStatus[]> = {
  registered: ['accepted'],
  accepted: ['mediating', 'consulting'],
  mediating: ['consulting', 'succeeded', 'failed'],
  consulting: ['mediating', 'succeeded', 'failed'],
  succeeded: ['closed'],
  failed: ['closed'],
  closed: ['archived'],
  archived: [],
}

/** Statuses in which a case still takes experts. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['registered', 'accepted', 'mediating', 'consulting']

/** Consultations that hold one of the case's slots and count against the expert's capacity while not rated. */
export const SLOT_STATUSES: readonly ConsultationStatus[] = ['invited', 'accepted', 'submitted', 'rated']
export const ACTIVE_STATUSES: readonly ConsultationStatus[] = ['invited', 'accepted', 'submitted']

/** The timestamp column set when a case enters a status. */
export const STATUS_TIMESTAMP: Partial<
  Record<CaseStatus, 'accepted_at' | 'mediation_started_at' | 'concluded_at' | 'closed_at' | 'archived_at'>
> = {
  accepted: 'accepted_at',
  mediating: 'mediation_started_at',
  consulting: 'mediation_started_at',
  succeeded: 'concluded_at',
  failed: 'concluded_at',
  closed: 'closed_at',
  archived: 'archived_at',
}

export function canMove(from: CaseStatus, to: CaseStatus): boolean {
  return NEXT_STATUSES[from].includes(to)
}

/** Disputes normally close within one month of acceptance (registration when not yet accepted). */
export const TIME_LIMIT_DAYS = 30

/** The time limit, plus the days of an extension (court-entrusted cases, see canExtendTimeLimit). */
export function dueDate(registeredAt: string, acceptedAt: string | null, extensionDays = 0): string {
  const start = Date.parse((acceptedAt ?? registeredAt).slice(0, 10) + 'T00:00:00Z')
  return new Date(start + (TIME_LIMIT_DAYS + extensionDays) * 86_400_000).toISOString().slice(0, 10)
}

/**
 * Court-entrusted cases (法院委派委托 诉调): 30 days, extendable once by 30 days with a written
 * reason (stored in case_decisions as `time_extension`, subject TIME_LIMIT_SUBJECT).
 */
export const COURT_EXTENSION_DAYS = 30
export const TIME_LIMIT_SUBJECT = 'time_limit'

export function canExtendTimeLimit(source: CaseSource, status: CaseStatus, alreadyExtended: boolean): boolean {
  return source === 'court' && !alreadyExtended && OPEN_STATUSES.includes(status)
}

export function isOverdue(status: CaseStatus, due: string, today: string): boolean {
  return OPEN_STATUSES.includes(status) && today > due
}

/**
 * `（2026）海中关村人调字第 12 号`: the year, the organisation's short name (first character of its
 * district, then its own name without the region, 人民调解委员会 and a trailing 街道/乡/镇/社区/村),
 * 人调字 and the organisation's serial of that year, so numbers are unique across organisations.
 */
export function orgAbbreviation(regionName: string, orgName: string): string {
  const region = regionName.replace(/^(北京|上海|天津|重庆)市/, '').slice(0, 1)
  const own = orgName
    .replace(/^(北京市|上海市|天津市|重庆市)/, '')
    .replace(regionName, '')
    .replace(/(人民调解委员会|调解委员会|调委会)$/, '')
    .replace(/(街道|乡|镇|社区|村|居委会)$/, '')
    .slice(0, 12)
  return `${region}${own}` || '某'
}

export function formatCaseNumber(year: number, abbreviation: string, seq: number): string {
  return `（${year}）${abbreviation}人调字第 ${seq} 号`
}

export const statusLabel = (status: CaseStatus) => `cases.status.${status}` as const
export const sourceLabel = (source: CaseSource) => `cases.source.${source}` as const
export const difficultyLabel = (difficulty: CaseDifficulty) => `cases.difficulty.${difficulty}` as const
export const modeLabel = (mode: ConsultationMode) => `cases.mode.${mode}` as const
export const consultationStatusLabel = (status: ConsultationStatus) => `cases.consultation.status.${status}` as const

/** Amount in fen → yuan text with two decimals. */
export function yuan(fen: number | null): string {
  if (fen === null) return ''
  return (fen / 100).toFixed(2)
}

/** The subsidy period of a list or export: `from`/`to` when valid, else this month so far. */
export function subsidyPeriod(params: URLSearchParams, today: string): { from: string; to: string } {
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  return { from: isCalendarDate(from) ? from : `${today.slice(0, 7)}-01`, to: isCalendarDate(to) ? to : today }
}
