import { z } from '#app/lib/validation.ts'

/**
 * "Purge now": the id of the latest run the page showed. A second submission of the same page
 * (double click, refresh after POST) finds a newer run and does not start another.
 */
export const purgeFormSchema = z.object({
  lastRunId: z
    .string()
    .max(26)
    .regex(/^[0-9A-Z]*$/)
    .optional()
    .transform((v) => v ?? ''),
})
