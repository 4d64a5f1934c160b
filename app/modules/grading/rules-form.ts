/**
 * The rules form ↔ GradingConfig, pure. Blank rows (the spare row at the end of each list) and rows
 * ticked "remove" are dropped; rubric levels are written one per line as `label|min|max|descriptor`.
 * The built document is validated by gradingConfigSchema; its issues are mapped back to the form's
 * field names so each message appears beside its field.
 */
import { type GradingConfig, gradingConfigSchema } from './config.ts'
import { GENERAL_KEYS, type RulesForm, THRESHOLD_KEYS } from './schemas.ts'

export function levelsToText(levels: GradingConfig['rubric'][number]['levels']): string {
  return levels.map((l) => `${l.label}|${l.min}|${l.max}|${l.descriptor}`).join('\n')
}

export function textToLevels(text: string): { label: string; min: number; max: number; descriptor: string }[] | null {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  const levels = []
  for (const line of lines) {
    const [label = '', min = '', max = '', ...rest] = line.split('|').map((p) => p.trim())
    if (!label || !/^\d{1,3}$/.test(min) || !/^\d{1,3}$/.test(max)) return null
    levels.push({ label, min: Number(min), max: Number(max), descriptor: rest.join('|').trim() || label })
  }
  return levels.length ? levels : null
}

export type RulesBuild = { ok: true; config: GradingConfig } | { ok: false; fieldErrors: Record<string, string[]> }

export function buildConfig(form: RulesForm, previous: GradingConfig): RulesBuild {
  const fieldErrors: Record<string, string[]> = {}
  const add = (name: string, message: string) => {
    fieldErrors[name] = [...(fieldErrors[name] ?? []), message]
  }
  // Keep the form's row index for each kept row, to map errors back.
  const gradeRows = form.grades.map((g, i) => ({ g, i })).filter(({ g }) => !g.remove && (g.code || g.name))
  const criterionRows = form.rubric.map((c, i) => ({ c, i })).filter(({ c }) => !c.remove && (c.key || c.label))
  const rubric = criterionRows.map(({ c, i }) => {
    const levels = textToLevels(c.levels ?? '')
    if (!levels) add(`rubric[${i}].levels`, 'grading.rules.invalidLevels')
    return { key: c.key ?? '', label: c.label ?? '', weight: c.weight, maxPoints: c.maxPoints, levels: levels ?? [] }
  })
  const candidate = {
    ladderName: form.ladderName ?? '',
    grades: gradeRows.map(({ g }) => ({
      code: g.code ?? '',
      name: g.name ?? '',
      rank: g.rank,
      action: g.action ?? 'rate',
      basic: { noCriminalConversion: !!g.noCriminalConversion, noMisconduct: !!g.noMisconduct, requiredTraining: !!g.requiredTraining },
      thresholds: Object.fromEntries(THRESHOLD_KEYS.filter((k) => g[k] !== undefined).map((k) => [k, g[k]])),
    })),
    ...Object.fromEntries(GENERAL_KEYS.map((k) => [k, form[k]])),
    rubric,
    // Calibration samples are not edited on this form; keep those whose references still fit.
    calibrationSamples: previous.calibrationSamples.filter((s) => {
      const keys = new Set(rubric.map((c) => c.key))
      return Object.keys(s.reference).length === keys.size && Object.keys(s.reference).every((k) => keys.has(k))
    }),
  }
  const parsed = gradingConfigSchema.safeParse(candidate)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(fieldName(issue.path, gradeRows, criterionRows), issue.message)
  }
  if (Object.keys(fieldErrors).length || !parsed.success) return { ok: false, fieldErrors }
  return { ok: true, config: parsed.data }
}

function fieldName(path: (string | number)[], gradeRows: { i: number }[], criterionRows: { i: number }[]): string {
  const [head, index, ...rest] = path
  if (head === 'grades' && typeof index === 'number') {
    const row = gradeRows[index]?.i ?? index
    const tail = rest.filter((p) => p !== 'thresholds' && p !== 'basic')
    return tail.length ? `grades[${row}].${tail[0]}` : `grades[${row}].code`
  }
  if (head === 'rubric' && typeof index === 'number') {
    const row = criterionRows[index]?.i ?? index
    const field = rest[0] === 'levels' ? 'levels' : (rest[0] ?? 'key')
    return `rubric[${row}].${field}`
  }
  if (head === 'rubric' || head === 'grades' || head === 'calibrationSamples' || head === undefined) return ''
  return String(head)
}

/** The form's default values for a config, with one spare blank row per list. */
export function configToForm(config: GradingConfig, associationOrgId: string, baseVersion: number) {
  return {
    associationOrgId,
    baseVersion,
    note: '',
    ladderName: config.ladderName,
    ...Object.fromEntries(GENERAL_KEYS.map((k) => [k, String(config[k])])),
    grades: [
      ...config.grades.map((g) => ({
        code: g.code,
        name: g.name,
        rank: String(g.rank),
        action: g.action,
        noCriminalConversion: g.basic.noCriminalConversion ? 'on' : '',
        noMisconduct: g.basic.noMisconduct ? 'on' : '',
        requiredTraining: g.basic.requiredTraining ? 'on' : '',
        ...Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, g.thresholds[k] === undefined ? '' : String(g.thresholds[k])])),
      })),
      { code: '', name: '', rank: '', action: 'rate' },
    ],
    rubric: [
      ...config.rubric.map((c) => ({
        key: c.key,
        label: c.label,
        weight: String(c.weight),
        maxPoints: String(c.maxPoints),
        levels: levelsToText(c.levels),
      })),
      { key: '', label: '', weight: '', maxPoints: '', levels: '' },
    ],
  }
}
