/**
 * Translating the matching core's message references: code parameters (tier, difficulty,
 * profession, region, dispute type, family) are labelled first, nested requirement references
 * translated, then the message itself.
 */
import type { Translator } from '#app/components/i18n.tsx'
import { isMessageKey } from '#app/lib/i18n.ts'

export interface RefNames {
  /** Region code → name. */
  regions?: Record<string, string>
  /** Dispute-type code → English name (the code is the Chinese name). */
  disputeTypesEn?: Record<string, string>
}

export function labelRef(t: Translator, ref: string, names: RefNames = {}): string {
  const [key = '', query] = ref.split('?', 2)
  if (!query) return t.ref(key)
  const params = new URLSearchParams(query)
  const label = (k: string): string | null => (isMessageKey(k) ? t(k) : null)
  const out = new URLSearchParams()
  for (const [name, value] of params) {
    let text = value
    if (name === 'tier') text = label(`experts.tier.${value}`) ?? value
    else if (name === 'difficulty') text = label(`cases.difficulty.${value}`) ?? value
    else if (name === 'profession') text = label(`experts.profession.${value}`) ?? value
    else if (name === 'family') text = label(`cases.family.${value}`) ?? value
    else if (name === 'region' || name === 'regionCode') text = names.regions?.[value] ?? value
    else if (name === 'type' || name === 'category' || name === 'disputeType')
      text = t.locale === 'en' ? (names.disputeTypesEn?.[value] ?? value) : value
    else if (name === 'status') text = label(`experts.status.${value}`) ?? value
    else if (name === 'requirement' || name === 'requirements')
      text = value
        .split(';')
        .filter(Boolean)
        .map((r) => labelRef(t, r, names))
        .join(t.locale === 'en' ? '; ' : '；')
    out.set(name, text)
  }
  return t.ref(`${key}?${out.toString()}`)
}
