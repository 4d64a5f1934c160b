import { z } from 'zod'
import { defineSetting } from '#app/lib/settings.server.ts'

/**
 * Minimum reading time = estimated minutes × this factor, measured from when the server first
 * served the module. A deployment may lower it (the e2e database does, to a few seconds); it can
 * never be set from a request.
 */
export const TRAINING_SETTINGS = {
  readingFactor: defineSetting('training.readingFactor', z.number().min(0).max(2), 0.5),
}
