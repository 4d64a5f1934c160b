import { MATCHING_MESSAGES_EN } from '#app/modules/matching/messages.ts'

export const matching = { ...MATCHING_MESSAGES_EN }
