import { describe, expect, it } from 'vitest'
import { type CardHolder, checkAttendanceRows, sameName } from './attendance-import.ts'

const holder = (personId: string, name: string, extra: Partial<CardHolder> = {}): CardHolder => ({
  personId,
  name,
  inScope: true,
  alreadyRecorded: false,
  ...extra,
})

describe('attendance import rows', () => {
  it('compares names without spaces', () => {
    expect(sameName('张 三', '张三')).toBe(true)
    expect(sameName('张\u3000三', '张三')).toBe(true)
    expect(sameName('张三丰', '张三')).toBe(false)
  })

  it('gives every row all its problems, and a person only to clean rows', () => {
    const holders = new Map([
      ['A1', holder('p1', '李四')],
      ['B2', holder('p2', '王五', { inScope: false })],
      ['C3', holder('p3', '赵六', { alreadyRecorded: true })],
    ])
    const rows = checkAttendanceRows(
      [
        { rowNumber: 2, cardNumber: 'A1', name: '李四', assessment: '' },
        { rowNumber: 3, cardNumber: 'B2', name: '王五', assessment: '' },
        { rowNumber: 4, cardNumber: 'C3', name: '赵六', assessment: '' },
        { rowNumber: 5, cardNumber: 'A1', name: '李五', assessment: '' },
      ],
      holders,
    )
    expect(rows.map((r) => [r.personId, r.problems.map((p) => p.message)])).toEqual([
      ['p1', []],
      [null, ['training.session.unknownCard']],
      [null, ['training.session.alreadyRecorded']],
      [null, ['training.attendanceImport.duplicate', 'training.attendanceImport.nameMismatch']],
    ])
  })
})
