import { describe, expect, it } from 'vitest'
import { archiveDrills, yearsWithDrills } from './drill-hours.ts'

const drill = (slug: string, completedAt: string, creditHours: number, passed = creditHours > 0) => ({
  slug,
  title: slug,
  best: 90,
  passed,
  completedAt,
  creditHours,
})

describe('completed drills in the archive', () => {
  it('keeps one line per drill and dates it in China time', () => {
    const lines = archiveDrills([
      drill('a', '2025-12-31T17:00:00.000Z', 1),
      drill('a', '2025-01-01T00:00:00.000Z', 1),
      drill('b', '2025-12-31T15:00:00.000Z', 0.5),
    ])
    expect(lines.map((l) => [l.slug, l.completedOn, l.year])).toEqual([
      ['a', '2026-01-01', 2026],
      ['b', '2025-12-31', 2025],
    ])
  })

  it('adds credited hours once per drill, in tenths (no floating-point drift)', () => {
    const drills = archiveDrills([
      drill('a', '2025-03-01T00:00:00.000Z', 0.5),
      drill('a', '2025-04-01T00:00:00.000Z', 0.5),
      drill('b', '2025-05-01T00:00:00.000Z', 0.1),
      drill('c', '2025-05-01T00:00:00.000Z', 0, false),
      drill('d', '2024-05-01T00:00:00.000Z', 1),
    ])
    expect(yearsWithDrills([{ year: 2025, hours: 0.2 }], drills)).toEqual([
      { year: 2025, hours: 0.8 },
      { year: 2024, hours: 1 },
    ])
    expect(yearsWithDrills([{ year: 2023, hours: 3 }], [])).toEqual([{ year: 2023, hours: 3 }])
  })
})
