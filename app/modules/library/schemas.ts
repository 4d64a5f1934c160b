/**
 * zod schemas of the case library: curated-case frontmatter (content/cases/*.mdx) and the forms
 * of submissions and reviews.
 */
import { ID_PATTERN } from '#app/lib/ids.ts'
import { normaliseArticles } from '#app/lib/law-articles.ts'
import { fields, z } from '#app/lib/validation.ts'
import { AMOUNT_RANGES, CRITERIA, DIFFICULTIES, DISPUTE_TYPE_CODES, OUTCOMES, SOURCES, TECHNIQUES } from './vocabulary.ts'

const disputeType = z.enum(DISPUTE_TYPE_CODES)
/** GB/T 2260 county-level (6 digits) code, as YAML may give it as a number. */
const regionCode = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^\d{6}$/, 'validation.invalid'))
/** 民法典第944条 / 人民调解法第三十一条: the article number normalised. */
const legalReference = z.string().trim().min(1).max(60).transform(normaliseArticles)

export const caseFrontmatterSchema = z
  .object({
    id: z.string().regex(/^TJAL-\d{4}-\d{3}$/, 'validation.invalid'),
    title: z.string().trim().min(4).max(60),
    disputeType,
    domains: z.array(disputeType).min(1).max(6),
    region: regionCode,
    year: z.number().int().min(2000).max(2100),
    source: z.enum(SOURCES),
    outcome: z.enum(OUTCOMES),
    amountRange: z.enum(AMOUNT_RANGES),
    techniques: z.array(z.enum(TECHNIQUES)).min(1),
    legalBasis: z.array(legalReference).default([]),
    competencies: z.array(z.string().trim().min(1).max(20)).default([]),
    difficulty: z.enum(DIFFICULTIES),
    commentator: z.string().trim().min(1).max(60),
    tags: z.array(z.string().trim().min(1).max(20)).default([]),
    relatedDrills: z.array(z.string().regex(/^[a-z0-9-]+$/, 'validation.invalid')).default([]),
    summary: z.string().trim().min(1).max(60),
  })
  .strict()

export type CaseFrontmatter = z.infer<typeof caseFrontmatterSchema>

/** A list typed in one text field, separated by commas, 、 or spaces. */
const listField = (max: number, item: z.ZodTypeAny = z.string().trim().min(1).max(30)) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(/[,，、;；\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(12))

/** Markdown sections: 50,000 characters each at most (a case is 1,500-3,000 in all). */
export const SECTION_MAX = 20_000

export const submissionSchema = z.object({
  intent: z.enum(['save', 'submit']),
  version: z.coerce.number().int().min(0).optional(),
  /** One per new-case form: a double submit or a refresh after POST creates one case. */
  submissionKey: z.string().regex(ID_PATTERN, 'validation.invalid').optional(),
  title: fields.text(60),
  disputeType,
  domains: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(disputeType).max(6)),
  regionCode: z.string().regex(/^\d{6}$/, 'validation.invalid'),
  year: z.coerce.number().int().min(2000).max(2100),
  source: z.enum(SOURCES),
  outcome: z.enum(OUTCOMES),
  amountRange: z.enum(AMOUNT_RANGES),
  techniques: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(TECHNIQUES)).max(8)),
  legalBasis: listField(600, legalReference),
  tags: listField(300),
  summary: fields.text(60),
  facts: fields.text(SECTION_MAX),
  process: fields.text(SECTION_MAX),
  result: fields.text(SECTION_MAX),
  commentary: fields.text(SECTION_MAX),
})

export type SubmissionInput = z.infer<typeof submissionSchema>

/** One text of a draft still being written: nothing is required (nothing is saved). */
const draftText = (max: number) => z.string().max(max).optional().default('')

/**
 * A draft's fields for similar cases while writing (案例推送): the same form posted to the
 * resource route by the page's script, or with the "查找相似案例" button. Unknown or partial
 * choices are ignored rather than refused: the suggestions only need the text.
 */
export const similarDraftSchema = z.object({
  /** The submission being edited (its own published case is left out); absent for a new one. */
  submissionId: z.string().regex(ID_PATTERN, 'validation.invalid').optional(),
  title: draftText(200),
  disputeType: z.enum(DISPUTE_TYPE_CODES).optional().catch(undefined),
  domains: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.string().max(20))
      .max(30)
      .transform((list) =>
        list.filter((d): d is (typeof DISPUTE_TYPE_CODES)[number] => (DISPUTE_TYPE_CODES as readonly string[]).includes(d)),
      ),
  ),
  tags: draftText(300),
  summary: draftText(200),
  facts: draftText(SECTION_MAX),
  process: draftText(SECTION_MAX),
  result: draftText(SECTION_MAX),
  commentary: draftText(SECTION_MAX),
})

export type SimilarDraft = z.infer<typeof similarDraftSchema>

const score = z.coerce.number().int().min(1).max(5)
export const reviewSchema = z.object({
  intent: z.enum(['accept', 'return']),
  version: fields.version(),
  ...(Object.fromEntries(CRITERIA.map((c) => [c, score])) as Record<(typeof CRITERIA)[number], typeof score>),
  comments: fields.text(2000),
})

export type ReviewInput = z.infer<typeof reviewSchema>

export const noteSchema = z.object({
  intent: z.literal('note'),
  body: z.string().max(5000).default(''),
})
