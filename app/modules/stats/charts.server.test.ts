import { describe, expect, it } from 'vitest'
import { renderChart } from './charts.server.ts'
import { type StatTable, TABLE_ROWS_SHOWN } from './model.ts'
import { withCharts } from './report.server.ts'

const table = (chart: StatTable['chart'], labels: string[]): StatTable => ({
  id: 't',
  title: '测试',
  categoryHeader: '类别',
  series: [{ header: '数量', format: 'int' }],
  rows: labels.map((label, i) => ({ label, values: [i + 1] })),
  chart,
})

describe('server-rendered charts', () => {
  it('draws an SVG with the labels, escaping markup in them', () => {
    const svg = renderChart(table('bar', ['<script>alert(1)</script>', '海淀区']))!
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('海淀区')
    expect(svg).not.toContain('<script')
    expect(svg).toContain('&lt;script&gt;')
    // No inline styles (the pages' CSP refuses them): text styles are presentation attributes.
    expect(svg).not.toMatch(/ style=|<style/)
    expect(svg).toContain('font-size="11px"')
  })
  it('draws every kind, and nothing for an empty table or a table-only one', () => {
    for (const kind of ['bar', 'hbar', 'stacked', 'pie', 'funnel'] as const) {
      const svg = renderChart(table(kind, ['甲', '乙', '丙']))
      expect(svg, kind).toMatch(/^<svg[\s\S]*<\/svg>$/)
      expect(svg, kind).toContain('甲')
    }
    expect(renderChart(table('bar', []))).toBeNull()
    expect(renderChart(table(null, ['甲']))).toBeNull()
  })

  it("sends the page the rows it shows and the table's size, and plots from all of them", () => {
    const labels = Array.from({ length: 120 }, (_, i) => `组织${i}`)
    const [rendered] = withCharts([table('hbar', labels)], { cache: false })
    expect(rendered!.rows).toHaveLength(TABLE_ROWS_SHOWN)
    expect(rendered!.rows[0]!.label).toBe('组织0')
    expect(rendered!.totalRows).toBe(120)
    expect(rendered!.svg).toContain('组织0')
    const [small] = withCharts([table('bar', ['海淀区'])], { cache: false })
    expect(small!.rows).toHaveLength(1)
    expect(small!.totalRows).toBe(1)
  })
})
