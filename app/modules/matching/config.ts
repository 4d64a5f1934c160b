/**
 * Checks a MatchConfig that staff edited before the caller stores it as a new version. Returns
 * message references (`key?param=value`), empty when the configuration is usable. Pure.
 */
import { DIFFICULTIES, MATCH_TIERS, type MatchConfig, SCORE_COMPONENTS } from './types.ts'
import { messageRef } from './util.ts'

export function validateMatchConfig(config: MatchConfig): string[] {
  const problems: string[] = []
  const finite = (path: string, v: unknown, min = 0, max = Number.POSITIVE_INFINITY) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      problems.push(messageRef('matching.config.outOfRange', { path, min, max: Number.isFinite(max) ? max : '∞' }))
    }
  }
  for (const c of SCORE_COMPONENTS) finite(`weights.${c}`, config.weights[c])
  if (SCORE_COMPONENTS.every((c) => !(config.weights[c] > 0))) problems.push('matching.config.noWeight')

  const d = config.domain
  finite('domain.primary', d.primary, 0, 1)
  finite('domain.secondary', d.secondary, 0, 1)
  finite('domain.specialty', d.specialty, 0, 1)
  finite('domain.specialtyBonus', d.specialtyBonus, 0, 1)
  finite('domain.parentCategoryFactor', d.parentCategoryFactor, 0, 1)

  for (const difficulty of DIFFICULTIES) {
    for (const tier of MATCH_TIERS) {
      if (typeof config.tierAllowed[difficulty]?.[tier] !== 'boolean') {
        problems.push(messageRef('matching.config.missing', { path: `tierAllowed.${difficulty}.${tier}` }))
      }
      finite(`tierFit.${difficulty}.${tier}`, config.tierFit[difficulty]?.[tier], 0, 1)
    }
    if (!MATCH_TIERS.some((tier) => config.tierAllowed[difficulty]?.[tier])) {
      problems.push(messageRef('matching.config.noTierAllowed', { difficulty }))
    }
  }

  if (!config.proximity.byLevelsUp.length) problems.push(messageRef('matching.config.missing', { path: 'proximity.byLevelsUp' }))
  config.proximity.byLevelsUp.forEach((v, i) => finite(`proximity.byLevelsUp.${i}`, v, 0, 1))
  // A closer common region never scores below a farther one.
  config.proximity.byLevelsUp.forEach((v, i) => {
    const closer = config.proximity.byLevelsUp[i - 1]
    if (i > 0 && typeof closer === 'number' && Number.isFinite(closer) && Number.isFinite(v) && v > closer) {
      problems.push(messageRef('matching.config.notDescending', { path: `proximity.byLevelsUp.${i}` }))
    }
  })
  finite('proximity.national', config.proximity.national, 0, 1)
  finite('proximity.unrelated', config.proximity.unrelated, 0, 1)

  const r = config.rating
  finite('rating.priorWeight', r.priorWeight, 0, 1000)
  finite('rating.scaleMin', r.scaleMin)
  finite('rating.scaleMax', r.scaleMax, r.scaleMin + Number.EPSILON)
  finite('rating.priorMean', r.priorMean, r.scaleMin, r.scaleMax)

  finite('rotation.horizonDays', config.rotation.horizonDays, 1, 3650)
  if (Number.isFinite(config.rotation.horizonDays) && !Number.isInteger(config.rotation.horizonDays)) {
    problems.push(messageRef('matching.config.notInteger', { path: 'rotation.horizonDays' }))
  }
  finite('rotation.neverAssigned', config.rotation.neverAssigned, 0, 1)
  finite('batch.loadPenalty', config.batch.loadPenalty, 0, 10)
  finite('batch.mipTimeLimitSeconds', config.batch.mipTimeLimitSeconds, 0.1, 3600)
  finite('recommend.limit', config.recommend.limit, 1, 1000)
  finite('recommend.reasonsPerExpert', config.recommend.reasonsPerExpert, 0, 6)
  finite('recommend.reasonMinComponent', config.recommend.reasonMinComponent, 0, 1)
  finite('recommend.excludedIdsPerGroup', config.recommend.excludedIdsPerGroup, 0, 10_000)
  finite('recommend.maxPerOrganisation', config.recommend.maxPerOrganisation, 1, 100)
  if (!Number.isInteger(config.recommend.maxPerOrganisation)) {
    problems.push(messageRef('matching.config.outOfRange', { path: 'recommend.maxPerOrganisation', min: 1, max: 100 }))
  }
  return problems
}
