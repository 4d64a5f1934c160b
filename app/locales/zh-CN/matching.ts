// Texts of the matching core (app/modules/matching/messages.ts proposes them; kept in step).
import { MATCHING_MESSAGES_ZH } from '#app/modules/matching/messages.ts'

export const matching = {
  ...MATCHING_MESSAGES_ZH,
  'matching.config.notDescending': '{path} 不应高于更近一级的地域得分',
  'matching.config.notInteger': '{path} 须为整数',
} as const
