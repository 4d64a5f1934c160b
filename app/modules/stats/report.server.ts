/**
 * One entry point per statistics page: resolves the scope for the area, runs the area's
 * queries, draws the charts, and writes the same figures to .xlsx for the export (audited).
 */
import { audit } from '#app/lib/audit.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { type Locale, translate } from '#app/lib/i18n.ts'
import { SwrCache } from '#app/lib/swr-cache.ts'
import { todayInChina } from '#app/lib/time.ts'
import { type SheetSpec, buildWorkbook, exportHeading } from '#app/lib/xlsx/write.server.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import type { ListScope } from '#app/modules/auth/policy.ts'
import { caseStats } from './cases.server.ts'
import { chartSize, renderChart } from './charts.server.ts'
import { makeContext } from './context.server.ts'
import { drillStats } from './drills.server.ts'
import { expertStats } from './experts.server.ts'
import { gradingStats } from './grading.server.ts'
import { libraryStats } from './library.server.ts'
import { type StatTable, type StatsArea, type StatsFilters, type StatsReport, TABLE_ROWS_SHOWN, areaTitle } from './model.ts'
import { resolveStatsScope } from './scope.server.ts'
import { trainingStats } from './training.server.ts'

export interface StatsPage extends StatsReport {
  /** Quizzes with results in scope (drills page's item analysis picker). */
  quizzes?: { slug: string; title: string }[]
  drill?: string | null
  /** When these figures were computed (ISO instant): cached pages say how old they are. */
  computedAt: string
}

/**
 * Reports by what they were computed from (area, resolved scope, filters, language, day),
 * stale-while-revalidate (app/lib/swr-cache.ts): statistics over months of records move slowly,
 * and the largest scopes (a city's half a million training records) take longer to count than a
 * page may take. For REPORT_FRESH_MS a report is served as is; until REPORT_STALE_MS it is still
 * served at once while it is recomputed in the background, so only the first visit of a scope and
 * filter (or one after a quiet quarter of an hour) waits for the queries. The page shows when its
 * figures were computed. The key is the resolved scope, never the user, so no one sees figures
 * outside their scope. ADR 032.
 */
export const REPORT_FRESH_MS = 60_000
export const REPORT_STALE_MS = 15 * 60_000
const reportCache = new SwrCache<Omit<StatsPage, 'computedAt'>>({ freshMs: REPORT_FRESH_MS, staleMs: REPORT_STALE_MS, max: 200 })

export async function buildStatsReport(
  db: Executor,
  user: AuthUser,
  area: StatsArea,
  filters: StatsFilters,
  locale: Locale,
  today = todayInChina(),
  options: { cache?: boolean } = {},
): Promise<StatsPage> {
  const { scope, rootPath } = await resolveStatsScope(db, user, area, filters.region)
  const compute = () => computeReport(db, area, scope, rootPath, filters, locale, today)
  if (!options.cache) return withComputedAt(await compute(), Date.now())
  const { value, at } = await reportCache.get(JSON.stringify([area, scope, rootPath, filters, locale, today]), compute)
  return withComputedAt(value, at)
}

/** A report's figures are as old as the oldest thing they came from: the report, or stored figures it read. */
function withComputedAt(report: Omit<StatsPage, 'computedAt'>, at: number): StatsPage {
  const computed = new Date(at).toISOString()
  return { ...report, computedAt: report.figuresAt && report.figuresAt < computed ? report.figuresAt : computed }
}

function computeReport(
  db: Executor,
  area: StatsArea,
  scope: ListScope,
  rootPath: string,
  filters: StatsFilters,
  locale: Locale,
  today: string,
): Promise<Omit<StatsPage, 'computedAt'>> {
  const ctx = makeContext(db, scope, rootPath, filters, locale, today)
  switch (area) {
    case 'experts':
      return expertStats(ctx)
    case 'cases':
      return caseStats(ctx)
    case 'training':
      return trainingStats(ctx)
    case 'drills':
      return drillStats(ctx)
    case 'library':
      return libraryStats(ctx)
    case 'grading':
      return gradingStats(ctx)
  }
}

export interface RenderedTable extends StatTable {
  svg: string | null
  width: number
  height: number
  /** Rows of the whole table: the page gets the first TABLE_ROWS_SHOWN only (a province lists 58,000 organisations). */
  totalRows: number
}

/** Charts plot at most this many categories (the largest first); the table lists the rest. */
export const CHART_MAX_ROWS = 30

/**
 * Drawn charts by their input: a chart is a pure function of its table, and drawing one costs
 * tens of milliseconds while the numbers behind a statistics page change slowly, so the same
 * table is drawn once. Bounded; the oldest entry goes first.
 */
const CHART_CACHE_MAX = 500
const chartCache = new Map<string, string | null>()

function cachedChart(table: StatTable, size: { width: number; height: number }): string | null {
  const key = JSON.stringify([table.chart, table.title, table.series, table.plot, table.rows, size])
  const hit = chartCache.get(key)
  if (hit !== undefined) {
    chartCache.delete(key)
    chartCache.set(key, hit)
    return hit
  }
  const svg = renderChart(table, size)
  chartCache.set(key, svg)
  if (chartCache.size > CHART_CACHE_MAX) chartCache.delete(chartCache.keys().next().value!)
  return svg
}

/** Adds each table's chart as an SVG string (server-rendered; the page embeds it), and keeps the rows the page shows. */
export function withCharts(tables: readonly StatTable[], options: { cache?: boolean } = {}): RenderedTable[] {
  return tables.map((table) => {
    const plotted = { ...table, rows: table.rows.slice(0, CHART_MAX_ROWS) }
    const size = chartSize(plotted)
    return {
      ...table,
      rows: table.rows.slice(0, TABLE_ROWS_SHOWN),
      totalRows: table.rows.length,
      svg: options.cache === false ? renderChart(plotted, size) : cachedChart(plotted, size),
      ...size,
    }
  })
}

/** A filter in words for the export's title row: period, region, and the quiz analysed. */
export async function describeFilters(db: Executor, filters: StatsFilters, locale: Locale): Promise<string> {
  const parts = [translate(locale, 'stats.filter.periodText', { from: filters.from, to: filters.to })]
  if (filters.region) {
    const region = await db.selectFrom('regions').select('name').where('code', '=', filters.region).executeTakeFirst()
    parts.push(translate(locale, 'stats.filter.regionText', { region: region?.name ?? filters.region }))
  }
  if (filters.drill) parts.push(translate(locale, 'stats.filter.drillText', { drill: filters.drill }))
  return parts.join('；')
}

/** Excel's sheet-name rules: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(title: string, used: Set<string>): string {
  const clean = title.replace(/[[\]:*?/\\]/g, '·').slice(0, 28) || 'Sheet'
  let name = clean
  for (let i = 2; used.has(name); i++) name = `${clean.slice(0, 26)}(${i})`
  used.add(name)
  return name
}

/**
 * The page as a workbook: a summary sheet with the key figures and one sheet per table, each
 * headed by the report's title, filter, export time and user, numbered (序号), headers in
 * Chinese. Exported in Chinese whatever the page's language: these files are filed upward.
 */
export async function statsWorkbook(
  db: Executor,
  request: Request,
  user: AuthUser,
  area: StatsArea,
  filters: StatsFilters,
): Promise<{ body: Buffer; fileName: string }> {
  const username = `${user.displayName}（${user.username}）`
  const report = await buildStatsReport(db, user, area, filters, 'zh-CN')
  const title = `${translate('zh-CN', 'stats.title')}：${translate('zh-CN', areaTitle(area))}`
  const filterText = await describeFilters(db, filters, 'zh-CN')
  const heading = (sub: string) => exportHeading({ title: `${title} · ${sub}`, filter: filterText, user: username })
  const used = new Set<string>()
  const summary: SheetSpec = {
    name: sheetName(translate('zh-CN', 'stats.figures'), used),
    title: [...heading(translate('zh-CN', 'stats.figures')), ...report.notes],
    serial: true,
    columns: [
      { header: '指标', width: 36 },
      { header: '数值', width: 14 },
    ],
    rows: report.figures.map((f) => [f.label, f.value]),
  }
  const sheets: SheetSpec[] = [
    summary,
    ...report.tables.map(
      (table): SheetSpec => ({
        name: sheetName(table.title, used),
        title: table.note ? [...heading(table.title), table.note] : heading(table.title),
        serial: true,
        columns: [
          { header: table.categoryHeader, width: 28, text: true },
          ...table.series.map((s) => ({ header: s.format === 'pct' ? `${s.header}（%）` : s.header, width: 14 })),
        ],
        rows: table.rows.map((r) => [r.label, ...r.values]),
      }),
    ),
  ]
  const body = await buildWorkbook(sheets)
  await audit(db, request, actorOf(user), {
    action: 'stats.export',
    recordType: 'stats',
    recordId: area,
    detail: { area, filter: filters, tables: report.tables.length },
  })
  return {
    body,
    fileName: `${translate('zh-CN', 'stats.title')}-${translate('zh-CN', areaTitle(area))}-${filters.from}至${filters.to}.xlsx`,
  }
}
