/**
 * Charts drawn on the server: Apache ECharts in its server-side rendering mode turns a table's
 * numbers into an SVG string (docs/decisions/018-server-rendered-charts.md). No chart code
 * reaches the browser and the charts show without JavaScript. ECharts escapes every text it
 * writes into the SVG (labels come from region, organisation and course names), which
 * charts.server.test.ts checks.
 */
import * as echarts from 'echarts'
import type { StatTable } from './model.ts'

const PALETTE = ['#1d4ed8', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#65a30d', '#db2777', '#475569', '#ea580c']
// No double quotes: the font list ends up inside an SVG attribute.
const FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"

export interface ChartSize {
  width: number
  height: number
}

/** A label shortened for an axis (the table beside the chart keeps the full text). */
function shorten(label: string, max = 12): string {
  const chars = [...label]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : label
}

function optionFor(table: StatTable, size: ChartSize): echarts.EChartsOption | null {
  const plotted = table.plot ?? table.series.map((_, i) => i)
  const categories = table.rows.map((r) => r.label)
  const base = {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: FONT },
    aria: { enabled: true, label: { description: table.title } },
  } satisfies echarts.EChartsOption
  const legend = plotted.length > 1 ? { top: 0, textStyle: { fontSize: 12 } } : undefined
  switch (table.chart) {
    case 'pie':
      return {
        ...base,
        legend: { bottom: 0, type: 'plain', textStyle: { fontSize: 12 } },
        series: [
          {
            type: 'pie',
            radius: ['35%', '62%'],
            center: ['50%', '45%'],
            label: { formatter: '{b}: {c}', fontSize: 12 },
            data: table.rows.map((r) => ({ name: r.label, value: r.values[plotted[0] ?? 0] ?? 0 })),
          },
        ],
      }
    case 'funnel':
      return {
        ...base,
        series: [
          {
            type: 'funnel',
            sort: 'none',
            left: '10%',
            width: '80%',
            label: { position: 'inside', formatter: '{b}: {c}', fontSize: 12 },
            data: table.rows.map((r) => ({ name: r.label, value: r.values[plotted[0] ?? 0] ?? 0 })),
          },
        ],
      }
    case 'hbar':
    case 'bar':
    case 'stacked': {
      const horizontal = table.chart === 'hbar' || (table.chart === 'stacked' && categories.length > 8)
      const categoryAxis = {
        type: 'category' as const,
        data: categories.map((c) => shorten(c)),
        inverse: horizontal,
        axisLabel: { interval: 0, fontSize: 11, rotate: !horizontal && categories.length > 6 ? 30 : 0 },
      }
      const valueAxis = { type: 'value' as const, minInterval: 1, axisLabel: { fontSize: 11 } }
      return {
        ...base,
        legend,
        grid: { left: 8, right: 24, top: legend ? 32 : 16, bottom: 8, containLabel: true },
        xAxis: horizontal ? valueAxis : categoryAxis,
        yAxis: horizontal ? categoryAxis : valueAxis,
        series: plotted.map((index) => ({
          type: 'bar' as const,
          name: table.series[index]?.header ?? '',
          stack: table.chart === 'stacked' ? 'all' : undefined,
          barMaxWidth: 36,
          label: { show: table.chart !== 'stacked' && categories.length <= 20, position: horizontal ? 'right' : 'top', fontSize: 11 },
          data: table.rows.map((r) => r.values[index] ?? 0),
        })),
      }
    }
    default:
      return null
  }
}

/** The chart's height for its number of categories (horizontal bars need a row each). */
export function chartSize(table: StatTable): ChartSize {
  const horizontal = table.chart === 'hbar' || (table.chart === 'stacked' && table.rows.length > 8)
  if (horizontal) return { width: 640, height: Math.min(900, Math.max(200, 60 + table.rows.length * 26)) }
  if (table.chart === 'pie' || table.chart === 'funnel') return { width: 640, height: 320 }
  return { width: 640, height: 320 }
}

const PRESENTATION = new Set(['font-size', 'font-family', 'font-weight', 'font-style', 'fill', 'stroke', 'opacity'])

/**
 * The pages' Content Security Policy allows no inline styles, and ECharts writes text styles as
 * `style="…"` attributes plus a `<style>` element (hover emphasis, useless without JavaScript).
 * Style declarations become SVG presentation attributes, which CSP does not govern; the element
 * goes. Values are ECharts' own (escaped) output; quotes are stripped so no attribute can break.
 */
export function cspSafeSvg(svg: string): string {
  return svg.replace(/<style[\s\S]*?<\/style>/g, '').replace(/ style="([^"]*)"/g, (_match, declarations: string) =>
    declarations
      .split(';')
      .map((d) => d.split(':'))
      .filter(([name, value]) => name && value && PRESENTATION.has(name.trim()))
      .map(([name, ...rest]) => ` ${name!.trim()}="${rest.join(':').trim().replace(/["<>]/g, '')}"`)
      .join(''),
  )
}

/** The table drawn as an SVG string, or null when it has no chart or nothing to draw. */
export function renderChart(table: StatTable, size: ChartSize = chartSize(table)): string | null {
  if (!table.chart || !table.rows.length) return null
  const option = optionFor(table, size)
  if (!option) return null
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height })
  try {
    chart.setOption(option)
    return cspSafeSvg(chart.renderToSVGString())
  } finally {
    chart.dispose()
  }
}
