/**
 * A short, complete list shown inside a page section (a run history, the locked accounts, the
 * attempts of one delivery): every row is on the page, so there is no sorting, paging or `共 N 条`
 * as in <DataTable>, only the same header row, empty state and sideways scrolling on a phone.
 */
import type { Column, DataTableProps } from './data-table.tsx'

/** A DataTable column without sorting, plus how its cells sit. */
export interface RecordColumn<Row> extends Pick<Column<Row>, 'key' | 'header' | 'render'> {
  /** The header is read out but not shown (a column of buttons says what it is by the buttons). */
  headerHidden?: boolean
  /** Counts line up on the right so their digits compare at a glance. */
  numeric?: boolean
  /** Dates and durations read badly broken over two lines on a narrow screen. */
  nowrap?: boolean
  /** For tests that read one cell of a row. */
  testId?: string
}

export interface RecordTableProps<Row> extends Pick<DataTableProps<Row>, 'caption' | 'rows' | 'rowKey'> {
  columns: RecordColumn<Row>[]
  /** Said instead of an empty table. */
  empty: string
  testId?: string
  rowTestId?: string
}

function cellClass(column: { numeric?: boolean; nowrap?: boolean }): string {
  return ['px-3 py-2', column.numeric ? 'text-right' : '', column.nowrap ? 'whitespace-nowrap' : ''].filter(Boolean).join(' ')
}

export function RecordTable<Row>(props: RecordTableProps<Row>) {
  if (props.rows.length === 0) return <p className="mt-2 text-slate-600">{props.empty}</p>
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="w-full text-left text-sm sm:text-base" data-testid={props.testId}>
        <caption className="sr-only">{props.caption}</caption>
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" className={cellClass(c)}>
                {c.headerHidden ? <span className="sr-only">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} className="border-t border-slate-200 align-top" data-testid={props.rowTestId}>
              {props.columns.map((c) => (
                <td key={c.key} className={cellClass(c)} data-testid={c.testId}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
