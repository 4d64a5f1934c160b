/** Grade evaluation's configurable defaults (stored in `settings` under `grading.*`). */
import { defineSetting } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'

export const GRADING_SETTINGS = {
  /** Largest accepted evidence attachment, in bytes (10 MB by default). */
  attachmentMaxBytes: defineSetting('grading.attachmentMaxBytes', z.number().int().min(100_000).max(50_000_000), 10_000_000),
}
