/**
 * Attendance import for an offline training session (培训班): columns and row checks, pure (no
 * I/O). The server module looks the card numbers up and passes what it found; every row gets
 * every problem it has, each tied to a column, so the report can list them all at once.
 */
import type { MessageKey } from '#app/lib/i18n.ts'
import type { ColumnSpec } from '#app/lib/xlsx/headers.ts'

export type AttendanceField = 'cardNumber' | 'name' | 'assessment'

export const ATTENDANCE_COLUMNS = [
  { field: 'cardNumber', header: '工作证号', aliases: ['调解员工作证号', '持证上岗证号', 'card number', 'card'], required: true },
  { field: 'name', header: '姓名', aliases: ['name'], required: true },
  { field: 'assessment', header: '考核结果', aliases: ['assessment', '考核'] },
] as const satisfies readonly ColumnSpec<AttendanceField>[]

export const ATTENDANCE_LIMITS = { maxBytes: 2_000_000, maxRows: 2_000, assessment: 100, cardNumber: 32, name: 100 } as const

export interface AttendanceRowInput {
  rowNumber: number
  cardNumber: string
  name: string
  assessment: string
}

/** A mediator found by card number, already judged against the user's scope by the server. */
export interface CardHolder {
  personId: string
  name: string
  inScope: boolean
  alreadyRecorded: boolean
}

export interface RowProblem {
  field: AttendanceField
  message: MessageKey
  params?: Record<string, string | number>
}

export interface CheckedRow extends AttendanceRowInput {
  personId: string | null
  problems: RowProblem[]
}

/** Names compare without spaces (full-width too), so “张 三” matches 张三. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[\s\u3000]+/g, '')
  return norm(a) === norm(b)
}

export function checkAttendanceRows(rows: readonly AttendanceRowInput[], holders: ReadonlyMap<string, CardHolder>): CheckedRow[] {
  const firstRowOfCard = new Map<string, number>()
  return rows.map((row) => {
    const problems: RowProblem[] = []
    const card = row.cardNumber
    let personId: string | null = null
    if (!card) problems.push({ field: 'cardNumber', message: 'validation.required' })
    else if (card.length > ATTENDANCE_LIMITS.cardNumber) {
      problems.push({ field: 'cardNumber', message: 'validation.tooLong', params: { max: ATTENDANCE_LIMITS.cardNumber } })
    } else {
      const first = firstRowOfCard.get(card)
      if (first !== undefined) {
        problems.push({ field: 'cardNumber', message: 'training.attendanceImport.duplicate', params: { row: first } })
      } else {
        firstRowOfCard.set(card, row.rowNumber)
      }
      const holder = holders.get(card)
      // Unknown and out-of-scope cards get the same message: nothing leaks about who exists elsewhere.
      if (!holder || !holder.inScope) problems.push({ field: 'cardNumber', message: 'training.session.unknownCard' })
      else {
        if (row.name && !sameName(row.name, holder.name))
          problems.push({ field: 'name', message: 'training.attendanceImport.nameMismatch' })
        if (holder.alreadyRecorded) problems.push({ field: 'cardNumber', message: 'training.session.alreadyRecorded' })
        personId = holder.personId
      }
    }
    if (!row.name) problems.push({ field: 'name', message: 'validation.required' })
    if (row.assessment.length > ATTENDANCE_LIMITS.assessment) {
      problems.push({ field: 'assessment', message: 'validation.tooLong', params: { max: ATTENDANCE_LIMITS.assessment } })
    }
    return { ...row, personId: problems.length ? null : personId, problems }
  })
}
