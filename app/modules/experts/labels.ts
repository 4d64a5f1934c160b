/** Message keys for the pool's codes, typed so a missing catalog entry fails the type check. */
import type { ExpertContactPreference, ExpertStatus, ExpertTier } from '#db/schema.ts'
import type { DomainRole, Profession } from './model.ts'
import type { TermState, UnavailableReason } from './rules.ts'

export const tierLabel = (tier: ExpertTier) => `experts.tier.${tier}` as const
export const statusLabel = (status: ExpertStatus) => `experts.status.${status}` as const
export const termStateLabel = (state: TermState) => `experts.termState.${state}` as const
export const unavailableLabel = (reason: UnavailableReason) => `experts.unavailable.${reason}` as const
export const professionLabel = (profession: Profession) => `experts.profession.${profession}` as const
export const contactLabel = (preference: ExpertContactPreference) => `experts.contact.${preference}` as const
export const domainRoleLabel = (role: DomainRole) => `experts.domainRole.${role}` as const
export const genderLabel = (gender: 'male' | 'female') => `experts.gender.${gender}` as const
export const recommendationStatusLabel = (status: 'pending' | 'accepted' | 'declined') => `experts.recommend.status.${status}` as const

/** A dispute type's name in the reader's language. */
export function disputeTypeName(locale: string, type: { nameZh: string; nameEn: string }): string {
  return locale === 'en' ? type.nameEn : type.nameZh
}

/** Bytes as the catalogs write sizes: 2 MB. */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / 1_000_000
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`
}
