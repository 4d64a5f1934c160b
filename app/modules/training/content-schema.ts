/**
 * Frontmatter of shipped training content (content/training/<course>/course.mdx and
 * <NN>-<module>.mdx). Authors write the Chinese terms; the schema maps them to stored codes.
 * Pure: no I/O, so the browser may import the types.
 */
import { z } from 'zod'
import type { TrainingKind } from '#db/schema.ts'

export const KIND_CODES = {
  岗前: 'pre_service',
  初任: 'pre_service',
  专题: 'topic',
  年度: 'annual',
  晋级: 'promotion',
} as const satisfies Record<string, TrainingKind>
export const AUDIENCE_CODES = { 专职: 'full_time', 兼职: 'part_time', 行专: 'sector', all: 'all' } as const
export type Audience = (typeof AUDIENCE_CODES)[keyof typeof AUDIENCE_CODES]

const text = (max: number) => z.string().trim().min(1).max(max)

const question = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'id: lower-case letters, digits and dashes'),
    prompt: text(300),
    options: z.array(text(200)).min(2).max(6),
    /** Index of the correct option (0-based). Never sent to the browser before submission. */
    answer: z.number().int().min(0),
    explanation: text(600),
  })
  .strict()
  .refine((q) => q.answer < q.options.length, { message: 'answer must be an index into options', path: ['answer'] })

export const checkSchema = z
  .object({
    /** Share of questions to answer correctly, 0-1. */
    passRatio: z.number().min(0).max(1).default(0.6),
    questions: z.array(question).min(2).max(4),
  })
  .strict()
  .refine((c) => new Set(c.questions.map((q) => q.id)).size === c.questions.length, {
    message: 'question ids must be unique',
    path: ['questions'],
  })

export const courseFrontmatterSchema = z
  .object({
    title: text(100),
    summary: text(300),
    kind: z.enum(['岗前', '初任', '专题', '年度', '晋级']).transform((k) => KIND_CODES[k]),
    /** 学时 credited when every module is completed; halves allowed. */
    hours: z.number().positive().max(200).multipleOf(0.5),
    audience: z
      .array(z.enum(['专职', '兼职', '行专', 'all']))
      .min(1)
      .transform((list) => list.map((a) => AUDIENCE_CODES[a])),
    domains: z.array(text(40)).default([]),
    objectives: z.array(text(200)).min(1),
    competencies: z.array(text(60)).min(1),
    order: z.number().int().default(100),
  })
  .strict()

/** An end-of-module check that is a quiz from the drills (content/drills/<slug>.mdx, kind quiz). */
export const quizCheckSchema = z
  .object({ quiz: z.string().regex(/^[a-z0-9][a-z0-9-]{0,78}$/, 'quiz: a drill slug (lower-case letters, digits and dashes)') })
  .strict()

/**
 * `check` is either inline questions or `{ quiz: '<drill slug>' }`; the output keeps them apart
 * (`check` for inline questions, `quizCheck` for the drill) so the inline grading code is untouched.
 * Chosen by the `quiz` key rather than a zod union, so errors keep naming the exact field
 * (check.questions.0.answer). Whether the drill exists and is a quiz is checked when the content
 * is loaded (content.server.ts), against content/drills.
 */
export const moduleFrontmatterSchema = z
  .object({
    title: text(100),
    estimatedMinutes: z.number().int().min(1).max(240),
    objectives: z.array(text(200)).min(1),
    competencies: z.array(text(60)).min(1),
    domains: z.array(text(40)).default([]),
    check: z.object({}).passthrough().optional(),
  })
  .strict()
  .transform(({ check, ...rest }, ctx) => {
    if (!check) return { ...rest, check: undefined as CheckInline | undefined, quizCheck: undefined as string | undefined }
    const parsed = 'quiz' in check ? quizCheckSchema.safeParse(check) : checkSchema.safeParse(check)
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: issue.message, path: ['check', ...issue.path] })
      return z.NEVER
    }
    return 'quiz' in parsed.data
      ? { ...rest, check: undefined as CheckInline | undefined, quizCheck: parsed.data.quiz as string | undefined }
      : { ...rest, check: parsed.data as CheckInline | undefined, quizCheck: undefined as string | undefined }
  })

type CheckInline = z.output<typeof checkSchema>

export type CourseFrontmatter = z.output<typeof courseFrontmatterSchema>
export type ModuleFrontmatter = z.output<typeof moduleFrontmatterSchema>
export type CheckDefinition = z.output<typeof checkSchema>

/** `01-renmin-tiaojie-fa.mdx` → order 1, slug `renmin-tiaojie-fa`; null for other names. */
export function parseModuleFileName(name: string): { order: number; slug: string } | null {
  const match = /^(\d{2})-([a-z0-9][a-z0-9-]{0,78})\.mdx$/.exec(name)
  return match ? { order: Number(match[1]), slug: match[2]! } : null
}

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,78}$/
