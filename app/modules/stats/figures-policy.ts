/**
 * When stored figures (ADR 033) stand in for a live count: how often the job recomputes them, how
 * old they may be, which day they answer for, and how large a scope must be to read them. Pure, so
 * the training figures, the grade pyramid and their tests share one set of rules.
 */

/** How often a year's figures are recomputed (each app server looks; one computes). */
export const FIGURES_INTERVAL_MS = 10 * 60_000
/** Figures older than this are not used (the job has stopped or keeps failing): pages count live. */
export const FIGURES_MAX_AGE_MS = 30 * 60_000
/** Scopes with fewer active mediators are counted live (a district of a city takes tens of ms). */
export const FIGURES_MIN_MEDIATORS = 20_000

/** The smallest scope, in active mediators, that reads the stored figures (env TIAOJIE_FIGURES_MIN_MEDIATORS). */
export function figuresMinMediators(): number {
  const configured = Number(process.env.TIAOJIE_FIGURES_MIN_MEDIATORS)
  return Number.isInteger(configured) && configured >= 0 ? configured : FIGURES_MIN_MEDIATORS
}

/** The day a year's figures are judged on: today for the current year, its last day for a past one. */
export function figuresAsOf(year: number, today: string): string {
  const last = `${year}-12-31`
  return today < last ? today : last
}

/** A past year's figures are recomputed daily (late approvals trickle in), so they may be that old. */
export const PAST_YEAR_INTERVAL_MS = 24 * 60 * 60_000

/** How old a year's stored figures may be and still be read, given how often the job recomputes them. */
export function figuresMaxAge(year: number, today: string): number {
  return year < Number(today.slice(0, 4)) ? 2 * PAST_YEAR_INTERVAL_MS : FIGURES_MAX_AGE_MS
}

export interface FigureRun {
  as_of: string | null
  computed_at: string | null
}

/** Stored figures answer a question about `asOf` if they were judged on that day and are recent enough. */
export function runAnswers(
  run: FigureRun | undefined,
  asOf: string,
  now: number,
  maxAgeMs = FIGURES_MAX_AGE_MS,
): run is FigureRun & { computed_at: string } {
  if (!run?.computed_at || run.as_of !== asOf) return false
  return now - Date.parse(run.computed_at) <= maxAgeMs
}
