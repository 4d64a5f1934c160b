import { describe, expect, it } from 'vitest'
import { renderChart } from './charts.server.ts'
import type { StatTable } from './model.ts'

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
})
