import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { type RecordColumn, RecordTable } from './record-table.tsx'

interface Run {
  id: string
  at: string
  cases: number
}

const columns: RecordColumn<Run>[] = [
  { key: 'at', header: 'When', render: (r) => r.at, nowrap: true },
  { key: 'cases', header: 'Cases', render: (r) => String(r.cases), numeric: true, testId: 'run-cases' },
  { key: 'open', header: 'Actions', headerHidden: true, render: (r) => <a href={`/runs/${r.id}`}>open</a> },
]

function render(rows: Run[]): string {
  return renderToStaticMarkup(
    <RecordTable caption="Runs" columns={columns} rows={rows} rowKey={(r) => r.id} empty="No runs yet." testId="runs" rowTestId="run" />,
  )
}

describe('RecordTable', () => {
  it('renders one row per record under column headers that say their scope', () => {
    const html = render([
      { id: 'a', at: '2026-12-01', cases: 3 },
      { id: 'b', at: '2026-12-02', cases: 12 },
    ])
    expect(html).toContain('<table class="w-full text-left text-sm sm:text-base" data-testid="runs">')
    expect(html).toContain('<caption class="sr-only">Runs</caption>')
    expect(html.match(/<th scope="col"/g)).toHaveLength(3)
    expect(html).toContain('<th scope="col" class="px-3 py-2 text-right">Cases</th>')
    // The actions column is named for screen readers only.
    expect(html).toContain('<th scope="col" class="px-3 py-2"><span class="sr-only">Actions</span></th>')
    expect(html.match(/<tr class="border-t border-slate-200 align-top" data-testid="run">/g)).toHaveLength(2)
    expect(html).toContain('<td class="px-3 py-2 whitespace-nowrap">2026-12-02</td>')
    expect(html).toContain('<td class="px-3 py-2 text-right" data-testid="run-cases">12</td>')
    expect(html).toContain('<a href="/runs/b">open</a>')
    expect(html).not.toContain('No runs yet.')
  })

  it('says the empty message instead of an empty table', () => {
    const html = render([])
    expect(html).toBe('<p class="mt-2 text-slate-600">No runs yet.</p>')
  })
})
