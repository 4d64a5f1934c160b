/**
 * The statistics pages' model: the areas, the permission each needs, the filters (period and
 * region) read from the URL, and the shape every area's figures take (key figures plus tables,
 * each table drawn as one chart). Pure; the queries live in the `*.server.ts` files beside it.
 */
import type { MessageKey } from '#app/lib/i18n.ts'
import { isCalendarDate } from '#app/lib/time.ts'
import type { Permission } from '#app/modules/auth/policy.ts'

export const STATS_AREAS = ['experts', 'cases', 'training', 'drills', 'library', 'grading'] as const
export type StatsArea = (typeof STATS_AREAS)[number]

/** Each area is shown to holders of the permission that already governs its records. */
export const AREA_PERMISSION: Record<StatsArea, Permission> = {
  experts: 'expert:view',
  cases: 'case:view',
  training: 'training:manage',
  drills: 'drill:manage',
  library: 'library:review',
  grading: 'grading:view',
}

export function isStatsArea(value: unknown): value is StatsArea {
  return typeof value === 'string' && (STATS_AREAS as readonly string[]).includes(value)
}

export const areaTitle = (area: StatsArea): MessageKey => `stats.area.${area}` as MessageKey

export interface StatsFilters {
  /** First day of the period, YYYY-MM-DD (inclusive). */
  from: string
  /** Last day of the period, YYYY-MM-DD (inclusive). */
  to: string
  /** A region code to narrow to (within the user's scope); null for the whole scope. */
  region: string | null
  /** Drills only: the quiz whose items are analysed. */
  drill: string | null
}

const REGION_CODE = /^\d{6,12}$/
const SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/

/**
 * Period and region from the URL. The period defaults to the current year up to today; a
 * malformed or reversed period falls back to that default rather than failing the page.
 */
export function parseStatsFilters(url: URL, today: string): StatsFilters {
  const get = (name: string) => url.searchParams.get(name)?.trim() ?? ''
  const defaultFrom = `${today.slice(0, 4)}-01-01`
  let from = get('from')
  let to = get('to')
  if (!isCalendarDate(from)) from = defaultFrom
  if (!isCalendarDate(to)) to = today
  if (from > to) {
    from = defaultFrom
    to = today
  }
  const region = get('region')
  const drill = get('drill')
  return { from, to, region: REGION_CODE.test(region) ? region : null, drill: SLUG.test(drill) ? drill : null }
}

/** The filters as a query string (for the export link and the bench), defaults included. */
export function filtersQuery(filters: StatsFilters): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to })
  if (filters.region) params.set('region', filters.region)
  if (filters.drill) params.set('drill', filters.drill)
  return params.toString()
}

/** The day after a YYYY-MM-DD date: periods are compared as `at >= from and at < dayAfter(to)`. */
export function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export type ChartKind = 'bar' | 'hbar' | 'stacked' | 'pie' | 'funnel'
export type ValueFormat = 'int' | 'dec1' | 'dec2' | 'pct'

export interface StatRow {
  label: string
  values: (number | null)[]
}

/** One table of figures, drawn as one chart; the table is also the chart's accessible view. */
export interface StatTable {
  id: string
  title: string
  /** What the numbers mean (period, definitions), shown under the title and in the export. */
  note?: string
  categoryHeader: string
  series: { header: string; format: ValueFormat }[]
  rows: StatRow[]
  /** How to draw it; null for a table only. The chart plots the series flagged in `plot` (all by default). */
  chart: ChartKind | null
  plot?: number[]
}

export interface StatFigure {
  label: string
  value: number | null
  format: ValueFormat
}

export interface StatsReport {
  area: StatsArea
  figures: StatFigure[]
  tables: StatTable[]
  /** Remarks about what the data cannot show (e.g. reads are not recorded). */
  notes: string[]
  /** When stored figures behind the report were computed (ISO instant), if it read any (ADR 033). */
  figuresAt?: string
}

/** Tables longer than this show their first rows on the page; the export has all of them. */
export const TABLE_ROWS_SHOWN = 50

export function formatValue(value: number | null, format: ValueFormat, locale = 'zh-CN'): string {
  if (value === null || Number.isNaN(value)) return '—'
  if (format === 'pct') return `${value.toLocaleString(locale, { maximumFractionDigits: 1 })}%`
  if (format === 'dec2') return value.toLocaleString(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 })
  if (format === 'dec1') return value.toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 0 })
  return value.toLocaleString(locale)
}
