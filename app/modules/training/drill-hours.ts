/**
 * Completed drills (岗位练兵) in the training archive: pure accounting, no I/O. A drill is listed
 * once (drills' `completedDrills` gives one line per drill) and its credited hours are added to
 * the year it was completed in, once, however many attempts it took.
 */
import { todayInChina } from '#app/lib/time.ts'
import { fromTenths, toTenths } from './rules.ts'

export interface CompletedDrill {
  slug: string
  title: string
  best: number
  passed: boolean
  /** ISO instant of the graded result. */
  completedAt: string
  creditHours: number
}

export interface ArchiveDrill extends CompletedDrill {
  /** Calendar year (China time) the credited hours count in. */
  year: number
  completedOn: string
}

/** One line per drill (a repeated slug counts once, the first seen wins), newest first. */
export function archiveDrills(drills: readonly CompletedDrill[]): ArchiveDrill[] {
  const bySlug = new Map<string, ArchiveDrill>()
  for (const d of drills) {
    if (bySlug.has(d.slug)) continue
    const completedOn = todayInChina(new Date(d.completedAt))
    bySlug.set(d.slug, { ...d, completedOn, year: Number(completedOn.slice(0, 4)) })
  }
  return [...bySlug.values()].sort((a, b) => b.completedAt.localeCompare(a.completedAt) || a.slug.localeCompare(b.slug))
}

/** Approved hours per year plus the credited hours of completed drills, newest year first. */
export function yearsWithDrills(
  years: readonly { year: number; hours: number }[],
  drills: readonly ArchiveDrill[],
): { year: number; hours: number }[] {
  const tenths = new Map<number, number>()
  for (const y of years) tenths.set(y.year, (tenths.get(y.year) ?? 0) + toTenths(y.hours))
  for (const d of drills) {
    const credit = toTenths(d.creditHours)
    if (credit > 0) tenths.set(d.year, (tenths.get(d.year) ?? 0) + credit)
  }
  return [...tenths].sort((a, b) => b[0] - a[0]).map(([year, t]) => ({ year, hours: fromTenths(t) }))
}
