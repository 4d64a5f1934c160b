// Texts of the matching core (app/modules/matching/messages.ts proposes them; kept in step).
import { MATCHING_MESSAGES_ZH } from '#app/modules/matching/messages.ts'

export const matching = { ...MATCHING_MESSAGES_ZH } as const
