import { MATCHING_MESSAGES_EN } from '#app/modules/matching/messages.ts'

export const matching = {
  ...MATCHING_MESSAGES_EN,
  'matching.config.notDescending': '{path} must not be above the score of the closer level',
  'matching.config.notInteger': '{path} must be a whole number',
}
