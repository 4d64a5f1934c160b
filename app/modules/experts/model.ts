/**
 * The expert pool's vocabulary (pure, shared by server, browser, importer and tests): tiers and
 * how they bind to regions, statuses, professions, contact preferences, domain roles.
 */
import type { ExpertContactPreference, ExpertStatus, ExpertTier, RegionLevel } from '#db/schema.ts'

/** Highest first: 全国, 省级, 市级, 区县级. */
export const TIERS = ['national', 'provincial', 'municipal', 'district'] as const satisfies readonly ExpertTier[]

export const STATUSES = ['active', 'suspended', 'retired', 'removed'] as const satisfies readonly ExpertStatus[]

export const CONTACT_PREFERENCES = ['phone', 'sms', 'wechat', 'via_office'] as const satisfies readonly ExpertContactPreference[]

/** Primary and secondary domains (领域), and the dispute types the expert handles best (擅长). */
export const DOMAIN_ROLES = ['primary', 'secondary', 'specialty'] as const
export type DomainRole = (typeof DOMAIN_ROLES)[number]

/** Professions (专业领域) an expert brings; labels in the catalogs (`experts.profession.<code>`). */
export const PROFESSIONS = [
  'law', // 法学
  'medicine', // 医学
  'psychology', // 心理学
  'social_work', // 社会工作
  'finance', // 金融
  'construction', // 建筑工程
  'accounting', // 会计
  'insurance', // 保险
  'intellectual_property', // 知识产权
  'education', // 教育
  'agriculture', // 农业
  'environment', // 环境
  'information_technology', // 信息技术
  'other', // 其他
] as const
export type Profession = (typeof PROFESSIONS)[number]

export function tierRank(tier: ExpertTier): number {
  return TIERS.indexOf(tier)
}

/** The tier a recommendation (择优推荐) moves an expert to, or null at the top. */
export function tierAbove(tier: ExpertTier): ExpertTier | null {
  const rank = tierRank(tier)
  return rank > 0 ? TIERS[rank - 1]! : null
}

/**
 * Province-level municipalities (直辖市: 北京, 天津, 上海, 重庆) have no city level: their
 * municipal bureau is also the provincial-level body, so both tiers bind to the same region.
 */
const DIRECT_MUNICIPALITY_PREFIXES = ['11', '12', '31', '50']

export function isDirectMunicipality(regionCode: string): boolean {
  return regionCode.length === 6 && regionCode.endsWith('0000') && DIRECT_MUNICIPALITY_PREFIXES.includes(regionCode.slice(0, 2))
}

export interface RegionRef {
  code: string
  level: RegionLevel
}

/** Whether an expert of `tier` can be appointed by a body of `region` (null: the national level). */
export function tierFitsRegion(tier: ExpertTier, region: RegionRef | null): boolean {
  if (tier === 'national') return region === null
  if (!region) return false
  switch (tier) {
    case 'provincial':
      return region.level === 'province'
    case 'municipal':
      return region.level === 'city' || (region.level === 'province' && isDirectMunicipality(region.code))
    case 'district':
      return region.level === 'district'
  }
}

/** The tiers a body in `region` appoints, highest first (a Beijing bureau appoints two). */
export function tiersForRegion(region: RegionRef): ExpertTier[] {
  return TIERS.filter((tier) => tierFitsRegion(tier, region))
}

/**
 * Where a recommendation upward goes: the next tier and the region of the body that appoints it,
 * found among the expert's region and its ancestors (`chain`, root first). Null at the top, or
 * when the region tree has no such body.
 */
export function recommendationTarget(
  tier: ExpertTier,
  chain: readonly RegionRef[],
): { tier: ExpertTier; regionCode: string | null } | null {
  const to = tierAbove(tier)
  if (!to) return null
  if (to === 'national') return { tier: to, regionCode: null }
  // The nearest body above (or at) the expert's region that appoints the higher tier.
  for (let i = chain.length - 1; i >= 0; i--) {
    const region = chain[i]!
    if (tierFitsRegion(to, region)) return { tier: to, regionCode: region.code }
  }
  return null
}

/** Region codes on a materialised path, root first: `/110000/110108/` → ['110000', '110108']. */
export function codesOnPath(path: string): string[] {
  return path.split('/').filter(Boolean)
}

/** Splits a typed list of languages (`普通话、粤语, English`) into clean, unique entries. */
export function splitList(text: string | undefined | null): string[] {
  if (!text) return []
  const items = text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
  return [...new Set(items)]
}

/** Reads a JSON-array column written by this module; anything else reads as empty. */
export function parseJsonList(value: string | null | undefined): string[] {
  if (!value) return []
  try {
    const parsed: unknown = JSON.parse(value)
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}
