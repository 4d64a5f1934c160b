/**
 * The matching-policy form (/cases/matching-config): which inputs it posts, how they become a
 * MatchConfig, and which input each problem of `validateMatchConfig` belongs to. Pure.
 *
 * New inputs are named after their configuration path (`tierFit.ordinary.national`,
 * `proximity.byLevelsUp.0`, `rating.priorMean`…); the original ones keep their names
 * (`weight.<component>`, `allowed.<difficulty>.<tier>`, `loadPenalty`, `maxPerOrganisation`).
 */
import { DIFFICULTIES, MATCH_TIERS, type MatchConfig, SCORE_COMPONENTS } from '#app/modules/matching/types.ts'

/** Proximity rows the page shows: levels up from the case region (same district, city, province, further). */
export const PROXIMITY_LEVELS = [0, 1, 2, 3] as const
export const DOMAIN_CREDITS = ['primary', 'secondary', 'specialty', 'specialtyBonus', 'parentCategoryFactor'] as const

/** Input name of a configuration path named by the validator. */
export function fieldNameOf(path: string): string {
  if (path.startsWith('weights.')) return `weight.${path.slice('weights.'.length)}`
  if (path === 'batch.loadPenalty') return 'loadPenalty'
  if (path === 'recommend.maxPerOrganisation') return 'maxPerOrganisation'
  return path
}

/**
 * The configuration the form describes, starting from the one in force. An empty or non-numeric
 * value becomes NaN (refused by the validator with the field named). The inputs added after the
 * first version of the page keep the current value when they are absent from the post.
 */
export function configFromForm(current: MatchConfig, form: FormData): MatchConfig {
  const read = (name: string, absent: number) => {
    const raw = form.get(name)
    if (raw === null) return absent
    if (typeof raw !== 'string' || raw.trim() === '') return Number.NaN
    const value = Number(raw)
    return Number.isFinite(value) ? value : Number.NaN
  }
  const config: MatchConfig = structuredClone(current)
  for (const c of SCORE_COMPONENTS) config.weights[c] = read(`weight.${c}`, Number.NaN)
  for (const d of DIFFICULTIES) {
    for (const tier of MATCH_TIERS) {
      config.tierAllowed[d][tier] = form.get(`allowed.${d}.${tier}`) === 'on'
      config.tierFit[d][tier] = read(`tierFit.${d}.${tier}`, current.tierFit[d][tier])
    }
  }
  config.batch.loadPenalty = read('loadPenalty', Number.NaN)
  config.recommend.maxPerOrganisation = read('maxPerOrganisation', current.recommend.maxPerOrganisation)

  const levels = [...current.proximity.byLevelsUp]
  for (const i of PROXIMITY_LEVELS) {
    const fallback = current.proximity.byLevelsUp[i]
    const value = read(`proximity.byLevelsUp.${i}`, fallback ?? Number.NaN)
    if (fallback !== undefined || form.get(`proximity.byLevelsUp.${i}`) !== null) levels[i] = value
  }
  config.proximity = {
    byLevelsUp: levels,
    national: read('proximity.national', current.proximity.national),
    unrelated: read('proximity.unrelated', current.proximity.unrelated),
  }
  config.rating.priorMean = read('rating.priorMean', current.rating.priorMean)
  config.rating.priorWeight = read('rating.priorWeight', current.rating.priorWeight)
  config.rotation.horizonDays = read('rotation.horizonDays', current.rotation.horizonDays)
  for (const k of DOMAIN_CREDITS) config.domain[k] = read(`domain.${k}`, current.domain[k])
  return config
}

/** The submitted values as text, to put back into the form when it is refused. */
export function submittedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, value] of form) if (typeof value === 'string') values[name] = value.slice(0, 500)
  return values
}

/** Validator problems by input name (those naming a path) and the rest (form-level). */
export function problemsByField(problems: readonly string[]): { fieldErrors: Record<string, string[]>; formErrors: string[] } {
  const fieldErrors: Record<string, string[]> = {}
  const formErrors: string[] = []
  for (const problem of problems) {
    const path = new URLSearchParams(problem.split('?', 2)[1] ?? '').get('path')
    if (!path) {
      formErrors.push(problem)
      continue
    }
    const name = fieldNameOf(path)
    fieldErrors[name] = [...(fieldErrors[name] ?? []), problem]
  }
  return { fieldErrors, formErrors }
}
