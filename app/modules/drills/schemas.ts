import { z } from '#app/lib/validation.ts'
import { MAX_DRAFT_CHARS } from './model.ts'

/** The attempt page's form (quiz answers travel as `a.<itemId>` fields, checked separately). */
export const attemptActionSchema = z.object({
  intent: z.enum(['save', 'submit', 'choose']),
  choice: z.string().max(60).optional(),
  text: z.string().max(MAX_DRAFT_CHARS).optional(),
})

/** The grading form: `p.<criterionId>` points and `c.<criterionId>` comments, read by gradeScoresFrom. */
export const gradeActionSchema = z.object({
  intent: z.enum(['save', 'finalise', 'return']),
  comment: z.string().trim().max(4000).optional(),
})

/** A drill event: datetime-local values are China time (UTC+8). */
export const eventCreateSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    slugs: z.array(z.string().max(100)).min(1).max(20),
    target: z.string().regex(/^(region|org):[0-9A-Z]{6,26}$/, 'validation.choice'),
    startsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'validation.invalid'),
    endsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'validation.invalid'),
  })
  .transform((v) => ({
    ...v,
    startsAt: new Date(`${v.startsAt}:00+08:00`).toISOString(),
    endsAt: new Date(`${v.endsAt}:00+08:00`).toISOString(),
  }))
  .refine((v) => v.endsAt > v.startsAt, { message: 'drills.events.badWindow', path: ['endsAt'] })
