/**
 * The automatic eligibility check (资格审查), rule by rule, as a pure function of the frozen
 * evidence and the round's config version. Every basic condition and every threshold the grade
 * defines becomes one result with what was required, what the evidence shows and which evidence
 * the verdict rests on, so the applicant and the association can see why.
 *
 * Percentages are compared in integers (part × 100 against limit × whole), never as floats;
 * training hours are compared in tenths.
 */
import { type GradingConfig, gradeBelow, gradeOf } from './config.ts'
import { type EvidenceSnapshot, heldAtLeastSince, trainingTenthsIn, wholeYears, yearWindow } from './evidence.ts'

export type RuleKey =
  | 'gradeOffered'
  | 'basic.noCriminalConversion'
  | 'basic.noMisconduct'
  | 'basic.requiredTraining'
  | 'minYearsOfWork'
  | 'minDisputes'
  | 'maxOralSharePercent'
  | 'minSuccessPercent'
  | 'minTrainingHours'
  | 'minDrillsPassed'
  | 'minAcceptedCases'
  | 'holdLowerGradeYears'

/** A value shown in the table: a number, or a message reference (`key?param=…`) for words. */
export type RuleValue = number | string | boolean | null

export interface RuleResult {
  rule: RuleKey
  /** Parameters of the rule's label (years of the window, the grade below). */
  params?: Record<string, string | number>
  passed: boolean
  required: RuleValue
  actual: RuleValue
  /** What the verdict rests on, as message references or plain figures. */
  evidence: string[]
}

export interface EligibilityResult {
  gradeCode: string
  eligible: boolean
  rules: RuleResult[]
}

const ref = (key: string, params?: Record<string, string | number>) =>
  params ? `${key}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}` : key

export function checkEligibility(snapshot: EvidenceSnapshot, gradeCode: string, config: GradingConfig, today: string): EligibilityResult {
  const grade = gradeOf(config, gradeCode)
  if (!grade) {
    return {
      gradeCode,
      eligible: false,
      rules: [{ rule: 'gradeOffered', passed: false, required: gradeCode, actual: null, evidence: [] }],
    }
  }
  const rules: RuleResult[] = []
  const { basic, thresholds: th } = grade
  const { declarations, caseStats, training } = snapshot

  if (basic.noCriminalConversion) {
    rules.push({
      rule: 'basic.noCriminalConversion',
      passed: declarations.noCriminalConversion,
      required: 'grading.eligibility.declared',
      actual: declarations.noCriminalConversion ? 'grading.eligibility.declared' : 'grading.eligibility.notDeclared',
      evidence: ['grading.declare.noCriminalConversion'],
    })
  }
  if (basic.noMisconduct) {
    rules.push({
      rule: 'basic.noMisconduct',
      passed: declarations.noMisconduct,
      required: 'grading.eligibility.declared',
      actual: declarations.noMisconduct ? 'grading.eligibility.declared' : 'grading.eligibility.notDeclared',
      evidence: ['grading.declare.noMisconduct'],
    })
  }
  if (basic.requiredTraining) {
    rules.push({
      rule: 'basic.requiredTraining',
      passed: training.preServiceDone,
      required: 'grading.eligibility.done',
      actual: training.preServiceDone ? 'grading.eligibility.done' : 'grading.eligibility.notDone',
      evidence: ['grading.evidence.preService'],
    })
  }

  if (th.minYearsOfWork !== undefined) {
    const years = snapshot.work.startedOn ? wholeYears(snapshot.work.startedOn, today) : null
    rules.push({
      rule: 'minYearsOfWork',
      passed: years !== null && years >= th.minYearsOfWork,
      required: th.minYearsOfWork,
      actual: years,
      evidence: snapshot.work.startedOn ? [ref('grading.evidence.startedOn'), snapshot.work.startedOn] : [ref('grading.evidence.unknown')],
    })
  }

  const statsEvidence = caseStats.rows.map((r) => `${r.year}: ${r.disputes} / ${r.successful} / ${r.oral}`)
  const { disputes, successful, oral } = caseStats.totals
  const statsParams = { years: config.statsYears }
  if (th.minDisputes !== undefined) {
    rules.push({
      rule: 'minDisputes',
      params: statsParams,
      passed: disputes >= th.minDisputes,
      required: th.minDisputes,
      actual: disputes,
      evidence: statsEvidence,
    })
  }
  if (th.maxOralSharePercent !== undefined) {
    // oral / successful ≤ max %  ⇔  oral × 100 ≤ max × successful. No successful mediations: no share to judge, 0 %.
    rules.push({
      rule: 'maxOralSharePercent',
      passed: oral * 100 <= th.maxOralSharePercent * successful,
      required: th.maxOralSharePercent,
      actual: ref('grading.eligibility.ratio', { part: oral, whole: successful }),
      evidence: statsEvidence,
    })
  }
  if (th.minSuccessPercent !== undefined) {
    // successful / disputes ≥ min %  ⇔  successful × 100 ≥ min × disputes; with no disputes there is no success rate.
    rules.push({
      rule: 'minSuccessPercent',
      passed: disputes > 0 && successful * 100 >= th.minSuccessPercent * disputes,
      required: th.minSuccessPercent,
      actual: ref('grading.eligibility.ratio', { part: successful, whole: disputes }),
      evidence: statsEvidence,
    })
  }
  if (th.minTrainingHours !== undefined) {
    const years = yearWindow(today, th.trainingYears ?? 1)
    const tenths = trainingTenthsIn(training.hoursByYear, years)
    rules.push({
      rule: 'minTrainingHours',
      params: { years: years.length },
      passed: tenths >= Math.round(th.minTrainingHours * 10),
      required: th.minTrainingHours,
      actual: tenths / 10,
      evidence: years.map((y) => `${y}: ${training.hoursByYear[String(y)] ?? 0}`),
    })
  }
  if (th.minDrillsPassed !== undefined) {
    rules.push({
      rule: 'minDrillsPassed',
      passed: snapshot.drills.passed >= th.minDrillsPassed,
      required: th.minDrillsPassed,
      actual: snapshot.drills.passed,
      evidence: snapshot.drills.drills.filter((d) => d.passed).map((d) => d.slug),
    })
  }
  if (th.minAcceptedCases !== undefined) {
    rules.push({
      rule: 'minAcceptedCases',
      passed: snapshot.library.accepted.length >= th.minAcceptedCases,
      required: th.minAcceptedCases,
      actual: snapshot.library.accepted.length,
      evidence: snapshot.library.accepted.map((c) => c.title),
    })
  }
  if (th.holdLowerGradeYears !== undefined) {
    const below = gradeBelow(config, grade.code)
    // The lowest grade has nothing below it to hold: the rule cannot apply.
    if (below) {
      const since = heldAtLeastSince(snapshot.gradeHistory, below.rank, today)
      const years = since ? wholeYears(since, today) : null
      rules.push({
        rule: 'holdLowerGradeYears',
        params: { grade: below.name },
        passed: years !== null && years >= th.holdLowerGradeYears,
        required: th.holdLowerGradeYears,
        actual: since ? ref('grading.eligibility.yearsSince', { years: years!, since }) : 'grading.eligibility.none',
        evidence: snapshot.gradeHistory
          .filter((g) => g.rank <= below.rank)
          .map((g) => `${g.name} ${g.validFrom}–${g.endedOn ?? g.validUntil} (${g.status})`),
      })
    }
  }
  return { gradeCode, eligible: rules.every((r) => r.passed), rules }
}

export function parseEligibility(json: string | null | undefined): EligibilityResult | null {
  if (!json) return null
  try {
    const value = JSON.parse(json) as EligibilityResult
    return value && Array.isArray(value.rules) ? value : null
  } catch {
    return null
  }
}
