/**
 * An association's grading rules (等级评定办法), as one JSON document validated here and stored
 * per version in `grading_configs`. A round keeps the version it started with.
 *
 * Arithmetic (stated once, used everywhere): reviewers give whole points per criterion within the
 * criterion's range; a review's total is Σ points × weight ÷ maxPoints on a 100-point scale, kept
 * in hundredths of a point and rounded half up once, at the end of the sum. Means are computed on
 * those hundredths and rounded half up to a whole hundredth. Percentages in thresholds are whole
 * percents compared with integers (share × 100 ≤ limit × total), never floats.
 */
import { z } from '#app/lib/validation.ts'

export const gradeThresholdsSchema = z
  .object({
    /** Years since the mediator started mediation work (mediators.started_on). */
    minYearsOfWork: z.number().int().min(0).max(60).optional(),
    /** Disputes mediated, summed over the confirmed case statistics of the last `statsYears` years. */
    minDisputes: z.number().int().min(0).max(100000).optional(),
    /** Oral agreements as a share of successful mediations, at most this percent. */
    maxOralSharePercent: z.number().int().min(0).max(100).optional(),
    /** Successful mediations as a share of disputes mediated, at least this percent. */
    minSuccessPercent: z.number().int().min(0).max(100).optional(),
    /** Training hours credited in the last `trainingYears` calendar years (including the current one). */
    minTrainingHours: z.number().min(0).max(1000).optional(),
    trainingYears: z.number().int().min(1).max(10).optional(),
    /** Drills passed (岗位练兵). */
    minDrillsPassed: z.number().int().min(0).max(100).optional(),
    /** Accepted exemplar cases (精品案例). */
    minAcceptedCases: z.number().int().min(0).max(100).optional(),
    /** Holding the grade directly below (or a higher one) for at least this many years. */
    holdLowerGradeYears: z.number().int().min(0).max(20).optional(),
  })
  .strict()

export const gradeSchema = z
  .object({
    /** Stable code, e.g. '1' … '4', 'special', 'star3'. */
    code: z.string().min(1).max(16),
    /** Display name, e.g. 一级调解员. */
    name: z.string().min(1).max(40),
    /** 1 is the highest grade of the ladder. */
    rank: z.number().int().min(1).max(10),
    /** 'rate': this association awards it; 'recommend': it only recommends upward (the next level awards). */
    action: z.enum(['rate', 'recommend']),
    /** Basic conditions (基本条件) checked for this grade. */
    basic: z
      .object({
        noCriminalConversion: z.boolean(),
        noMisconduct: z.boolean(),
        requiredTraining: z.boolean(),
      })
      .strict(),
    thresholds: gradeThresholdsSchema,
  })
  .strict()

export const rubricLevelSchema = z
  .object({
    /** e.g. 优, 良, 中, 差 */
    label: z.string().min(1).max(20),
    min: z.number().int().min(0),
    max: z.number().int().min(0),
    descriptor: z.string().min(1).max(300),
  })
  .strict()

export const rubricCriterionSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
    label: z.string().min(1).max(60),
    /** Whole percent; the weights of a rubric sum to 100. */
    weight: z.number().int().min(1).max(100),
    /** Reviewers give 0 … maxPoints whole points. */
    maxPoints: z.number().int().min(1).max(100),
    levels: z.array(rubricLevelSchema).min(1).max(6),
  })
  .strict()

export const calibrationSampleSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/),
    title: z.string().min(1).max(100),
    /** Anonymised summary of the sample application's evidence, shown to the reviewer. */
    summary: z.string().min(1).max(4000),
    /** Reference points per criterion key, agreed by the association. */
    reference: z.record(z.string(), z.number().int().min(0)),
  })
  .strict()

export const gradingConfigSchema = z
  .object({
    /** Ladder name, e.g. 一级至四级. */
    ladderName: z.string().min(1).max(40),
    /** Highest first. */
    grades: z.array(gradeSchema).min(1).max(10),
    /** Case statistics years summed for disputes/success/oral share. */
    statsYears: z.number().int().min(1).max(10),
    /** How long an awarded grade is valid. */
    validityYears: z.number().int().min(1).max(10),
    /** Reviewers per application. */
    reviewersPerApplication: z.number().int().min(1).max(15),
    /** With this many scores or more, the final score is a trimmed mean (highest and lowest dropped). */
    trimmedMeanFrom: z.number().int().min(3).max(15),
    /** Discrepancy tolerances in hundredths of a point: overall total, and any single criterion. */
    discrepancyOverall: z.number().int().min(0).max(10000),
    discrepancyCriterion: z.number().int().min(0).max(10000),
    /** Minimum final score (hundredths) to be awarded. */
    passScore: z.number().int().min(0).max(10000),
    /** 公示 length in working days (Monday–Friday). */
    noticeWorkingDays: z.number().int().min(1).max(30),
    /** Grades expiring within this many days are listed for re-evaluation. */
    expiryWarningDays: z.number().int().min(1).max(365),
    rubric: z.array(rubricCriterionSchema).min(1).max(12),
    calibrationSamples: z.array(calibrationSampleSchema).max(5),
  })
  .strict()
  .superRefine((config, ctx) => {
    const weights = config.rubric.reduce((sum, c) => sum + c.weight, 0)
    if (weights !== 100) ctx.addIssue({ code: 'custom', path: ['rubric'], message: 'grading.config.weightsSum' })
    const codes = new Set<string>()
    const ranks = new Set<number>()
    for (const [i, grade] of config.grades.entries()) {
      if (codes.has(grade.code)) ctx.addIssue({ code: 'custom', path: ['grades', i, 'code'], message: 'grading.config.duplicateGrade' })
      if (ranks.has(grade.rank)) ctx.addIssue({ code: 'custom', path: ['grades', i, 'rank'], message: 'grading.config.duplicateRank' })
      codes.add(grade.code)
      ranks.add(grade.rank)
    }
    for (const [i, criterion] of config.rubric.entries()) {
      for (const [j, level] of criterion.levels.entries()) {
        if (level.min > level.max || level.max > criterion.maxPoints) {
          ctx.addIssue({ code: 'custom', path: ['rubric', i, 'levels', j], message: 'grading.config.levelRange' })
        }
      }
    }
    const keys = new Set(config.rubric.map((c) => c.key))
    for (const [i, sample] of config.calibrationSamples.entries()) {
      for (const criterion of config.rubric) {
        const points = sample.reference[criterion.key]
        if (points === undefined || points > criterion.maxPoints) {
          ctx.addIssue({ code: 'custom', path: ['calibrationSamples', i, 'reference'], message: 'grading.config.sampleReference' })
        }
      }
      for (const key of Object.keys(sample.reference)) {
        if (!keys.has(key))
          ctx.addIssue({ code: 'custom', path: ['calibrationSamples', i, 'reference'], message: 'grading.config.sampleReference' })
      }
    }
  })

export type GradeThresholds = z.infer<typeof gradeThresholdsSchema>
export type GradeDefinition = z.infer<typeof gradeSchema>
export type RubricCriterion = z.infer<typeof rubricCriterionSchema>
export type CalibrationSample = z.infer<typeof calibrationSampleSchema>
export type GradingConfig = z.infer<typeof gradingConfigSchema>

export function parseGradingConfig(json: string): GradingConfig {
  return gradingConfigSchema.parse(JSON.parse(json))
}

export function gradeOf(config: GradingConfig, code: string): GradeDefinition | undefined {
  return config.grades.find((g) => g.code === code)
}

/** The grade directly below `code` in the ladder (rank + 1), if any. */
export function gradeBelow(config: GradingConfig, code: string): GradeDefinition | undefined {
  const grade = gradeOf(config, code)
  return grade && config.grades.find((g) => g.rank === grade.rank + 1)
}

const basic = { noCriminalConversion: true, noMisconduct: true, requiredTraining: true }

const levels = (max: number) => {
  // Four bands over 0…max: 优 top fifth, 良, 中, 差.
  const excellent = Math.ceil(max * 0.85)
  const good = Math.ceil(max * 0.7)
  const fair = Math.ceil(max * 0.5)
  return [
    { label: '优', min: excellent, max, descriptor: '' },
    { label: '良', min: good, max: excellent - 1, descriptor: '' },
    { label: '中', min: fair, max: good - 1, descriptor: '' },
    { label: '差', min: 0, max: fair - 1, descriptor: '' },
  ]
}

function describe(max: number, descriptors: [string, string, string, string]) {
  return levels(max).map((level, i) => ({ ...level, descriptor: descriptors[i]! }))
}

/**
 * The default rules: the national ladder 一级 (highest) … 四级, with 四级 conditions from one
 * province (domain guide: ≥ 2 years, ≥ 50 disputes, oral agreements ≤ 30 %, success ≥ 85 %) and
 * higher grades raising them. Every number is editable per association.
 */
export const DEFAULT_GRADING_CONFIG: GradingConfig = {
  ladderName: '一级至四级',
  grades: [
    {
      code: '1',
      name: '一级人民调解员',
      rank: 1,
      action: 'recommend',
      basic,
      thresholds: {
        minYearsOfWork: 10,
        minDisputes: 300,
        maxOralSharePercent: 20,
        minSuccessPercent: 95,
        minTrainingHours: 80,
        trainingYears: 3,
        minDrillsPassed: 3,
        minAcceptedCases: 2,
        holdLowerGradeYears: 2,
      },
    },
    {
      code: '2',
      name: '二级人民调解员',
      rank: 2,
      action: 'rate',
      basic,
      thresholds: {
        minYearsOfWork: 6,
        minDisputes: 150,
        maxOralSharePercent: 25,
        minSuccessPercent: 90,
        minTrainingHours: 60,
        trainingYears: 3,
        minDrillsPassed: 2,
        minAcceptedCases: 1,
        holdLowerGradeYears: 2,
      },
    },
    {
      code: '3',
      name: '三级人民调解员',
      rank: 3,
      action: 'rate',
      basic,
      thresholds: {
        minYearsOfWork: 4,
        minDisputes: 100,
        maxOralSharePercent: 30,
        minSuccessPercent: 88,
        minTrainingHours: 40,
        trainingYears: 3,
        minDrillsPassed: 1,
        holdLowerGradeYears: 2,
      },
    },
    {
      code: '4',
      name: '四级人民调解员',
      rank: 4,
      action: 'rate',
      basic,
      thresholds: {
        minYearsOfWork: 2,
        minDisputes: 50,
        maxOralSharePercent: 30,
        minSuccessPercent: 85,
        minTrainingHours: 24,
        trainingYears: 2,
      },
    },
  ],
  statsYears: 3,
  validityYears: 2,
  reviewersPerApplication: 3,
  trimmedMeanFrom: 5,
  discrepancyOverall: 1500,
  discrepancyCriterion: 1000,
  passScore: 6000,
  noticeWorkingDays: 5,
  expiryWarningDays: 90,
  rubric: [
    {
      key: 'law',
      label: '法律政策运用',
      weight: 25,
      maxPoints: 10,
      levels: describe(10, [
        '准确援引法律和政策，释法明理透彻',
        '援引基本准确，说理较充分',
        '援引偶有偏差，说理一般',
        '法律依据错误或缺失',
      ]),
    },
    {
      key: 'skill',
      label: '调解方法技巧',
      weight: 25,
      maxPoints: 10,
      levels: describe(10, ['方法得当、灵活，化解复杂矛盾成效突出', '方法较得当', '方法单一，效果一般', '方法不当']),
    },
    {
      key: 'record',
      label: '工作业绩',
      weight: 20,
      maxPoints: 10,
      levels: describe(10, ['业绩突出，疑难纠纷化解多', '业绩良好', '业绩一般', '业绩较差']),
    },
    {
      key: 'documents',
      label: '文书与卷宗',
      weight: 15,
      maxPoints: 10,
      levels: describe(10, ['文书规范完整，卷宗齐全', '文书基本规范', '文书有明显缺漏', '文书不规范']),
    },
    {
      key: 'ethics',
      label: '职业道德与群众评价',
      weight: 15,
      maxPoints: 10,
      levels: describe(10, ['公道正派，群众评价高', '评价较好', '评价一般', '评价较差']),
    },
  ],
  calibrationSamples: [
    {
      key: 'sample-a',
      title: '校准样例甲',
      summary:
        '从事调解工作五年，近三年调解纠纷一百二十件，成功率百分之九十二，口头协议占百分之十八。年度培训学时达标，岗位练兵通过两项，提交精品案例一件并被采用。卷宗抽查文书规范，群众评价良好。',
      reference: { law: 8, skill: 8, record: 7, documents: 8, ethics: 8 },
    },
    {
      key: 'sample-b',
      title: '校准样例乙',
      summary:
        '从事调解工作两年，近两年调解纠纷五十五件，成功率百分之八十六，口头协议占百分之二十九。培训学时刚好达标，未参加岗位练兵。卷宗抽查发现两份协议书缺少履行期限，群众评价一般。',
      reference: { law: 6, skill: 6, record: 5, documents: 5, ethics: 6 },
    },
  ],
}
