/**
 * The statistics page's pieces: key figures, and each table as a figure holding its
 * server-rendered chart (an SVG string made by ECharts on the server, escaped there) beside the
 * same numbers as a table, which is the accessible view and works without JavaScript.
 */
import { useLocale, useT } from '#app/components/i18n.tsx'
import { type StatFigure, type StatTable, TABLE_ROWS_SHOWN, formatValue } from './model.ts'

export function StatFigures({ figures }: { figures: StatFigure[] }) {
  const t = useT()
  const locale = useLocale()
  return (
    <section aria-label={t('stats.figures')} className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {figures.map((f) => (
        <div key={f.label} className="card p-3 sm:p-3">
          <div className="text-sm text-slate-600">{f.label}</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums">{formatValue(f.value, f.format, locale)}</div>
        </div>
      ))}
    </section>
  )
}

export function StatTableView({ table }: { table: StatTable & { svg: string | null; totalRows?: number } }) {
  const t = useT()
  const locale = useLocale()
  const shown = table.rows.slice(0, TABLE_ROWS_SHOWN)
  const headingId = `stat-${table.id}`
  return (
    <section aria-labelledby={headingId} className="card mb-6" data-testid={`stat-${table.id}`}>
      <h2 id={headingId} className="text-lg font-semibold">
        {table.title}
      </h2>
      {table.note ? <p className="mt-1 text-sm text-slate-600">{table.note}</p> : null}
      {table.rows.length === 0 ? (
        <p className="mt-3">{t('stats.noData')}</p>
      ) : (
        <div className={table.svg ? 'mt-3 grid gap-4 lg:grid-cols-2' : 'mt-3'}>
          {table.svg ? (
            <figure className="m-0 min-w-0">
              {/* Server-generated SVG (ECharts escapes every label); no user markup reaches it unescaped. */}
              <div
                className="overflow-x-auto [&>svg]:h-auto [&>svg]:max-w-full"
                data-testid="stat-chart"
                // biome-ignore lint/security/noDangerouslySetInnerHtml: our own server-rendered chart, labels escaped by ECharts (charts.server.test.ts)
                dangerouslySetInnerHTML={{ __html: table.svg }}
              />
              <figcaption className="mt-1 text-sm text-slate-600">{t('stats.chart', { title: table.title })}</figcaption>
            </figure>
          ) : null}
          <div className="min-w-0 overflow-x-auto">
            <table className="w-full border-collapse text-left text-sm" data-testid="stat-table">
              <caption className="sr-only">{t('stats.tableView', { title: table.title })}</caption>
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="py-1 pr-2">
                    {table.categoryHeader}
                  </th>
                  {table.series.map((s) => (
                    <th key={s.header} scope="col" className="py-1 pr-2 text-right">
                      {s.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((row, i) => (
                  // Labels can repeat (two organisations of the same name); the position keeps keys unique.
                  <tr key={`${i}-${row.label}`} className="border-b border-slate-100">
                    <th scope="row" className="py-1 pr-2 font-normal">
                      {row.label}
                    </th>
                    {row.values.map((v, j) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells follow the fixed series order
                      <td key={j} className="py-1 pr-2 text-right tabular-nums">
                        {formatValue(v, table.series[j]?.format ?? 'int', locale)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {(table.totalRows ?? table.rows.length) > shown.length ? (
              <p className="mt-2 text-sm text-slate-600">
                {t('stats.truncated', { shown: shown.length, total: table.totalRows ?? table.rows.length })}
              </p>
            ) : null}
          </div>
        </div>
      )}
    </section>
  )
}
