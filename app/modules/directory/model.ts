/**
 * The public directory's rules as pure functions (no I/O): which organisations are listed, which
 * expert fields a deployment may publish, how list filters are read from a URL,
 * search terms, and which office phone numbers are fit to publish. docs/decisions/019-public-directory.md
 */
import type { ExpertTier, OrgKind } from '#db/schema.ts'
import { decodeCursor } from '#app/lib/opaque-cursor.ts'

/** Mediation organisations the public looks for: committees of every kind, studios and associations. */
export const PUBLIC_ORG_KINDS = [
  'committee_village',
  'committee_township',
  'committee_enterprise',
  'committee_sector',
  'committee_stationed',
  'studio',
  'association',
] as const satisfies readonly OrgKind[]
export type PublicOrgKind = (typeof PUBLIC_ORG_KINDS)[number]

export function isPublicOrgKind(value: unknown): value is PublicOrgKind {
  return typeof value === 'string' && (PUBLIC_ORG_KINDS as readonly string[]).includes(value)
}

export const EXPERT_TIERS = ['national', 'provincial', 'municipal', 'district'] as const satisfies readonly ExpertTier[]

/**
 * Expert fields a deployment can publish (setting `directory.expertFields`). Without `name` the
 * expert section is closed altogether: a list of anonymous experts tells the public nothing.
 */
export const EXPERT_PUBLIC_FIELDS = ['name', 'tier', 'domains', 'employer', 'title', 'region'] as const
export type ExpertPublicField = (typeof EXPERT_PUBLIC_FIELDS)[number]
export type ExpertPublicFields = ReadonlySet<ExpertPublicField>

export const DEFAULT_EXPERT_FIELDS = 'name,tier,domains,employer'

const FIELD_SEPARATORS = /[\s,，、;；]+/

/** The field names in a setting value, or the unknown names when there are any. */
export function parseExpertFieldList(value: string): { ok: true; fields: ExpertPublicField[] } | { ok: false; unknown: string[] } {
  const names = value
    .split(FIELD_SEPARATORS)
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean)
  const unknown = names.filter((n) => !(EXPERT_PUBLIC_FIELDS as readonly string[]).includes(n))
  if (unknown.length) return { ok: false, unknown: [...new Set(unknown)] }
  // Canonical order and no duplicates, so equal choices store equal strings.
  return { ok: true, fields: EXPERT_PUBLIC_FIELDS.filter((f) => names.includes(f)) }
}

/** The set of public expert fields from a (validated) setting value; an invalid value publishes nothing. */
export function expertFieldSet(value: string): ExpertPublicFields {
  const parsed = parseExpertFieldList(value)
  return new Set(parsed.ok ? parsed.fields : [])
}

// --- Filters ------------------------------------------------------------------------------------

export const MAX_QUERY_LENGTH = 50
export const MAX_SEARCH_TERMS = 5
export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 100

const REGION_CODE = /^\d{6,12}$/
/** Dispute-type codes are their Chinese names (物业, 医疗…): letters, digits, _ and -. */
const CODE = /^[\p{L}\p{N}_-]{1,32}$/u

export interface DirectoryFilters {
  q: string
  region: string | null
  kind: PublicOrgKind | null
  sector: string | null
  disputeType: string | null
  tier: ExpertTier | null
  cursor: string | null
}

/** Reads the directory's filters from a URL; anything malformed is ignored rather than refused. */
export function parseDirectoryFilters(url: URL): DirectoryFilters {
  const p = url.searchParams
  const pick = (name: string, pattern: RegExp) => {
    const value = (p.get(name) ?? '').trim()
    return pattern.test(value) ? value : null
  }
  const kind = p.get('kind')
  const tier = p.get('tier')
  return {
    q: normaliseQuery(p.get('q') ?? ''),
    region: pick('region', REGION_CODE),
    kind: isPublicOrgKind(kind) ? kind : null,
    sector: pick('sector', CODE),
    disputeType: pick('type', CODE),
    tier: (EXPERT_TIERS as readonly string[]).includes(tier ?? '') ? (tier as ExpertTier) : null,
    cursor: decodeCursor(p.get('cursor') ?? '') ? p.get('cursor') : null,
  }
}

/** Full-width letters and digits folded (NFKC), spaces collapsed, cut to a sane length. */
export function normaliseQuery(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH)
}

/**
 * Search terms: words separated by spaces or Chinese punctuation, each of which must match
 * somewhere (AND). `海淀 物业` finds Haidian committees that handle property disputes.
 */
export function searchTerms(query: string): string[] {
  const terms = normaliseQuery(query)
    .split(/[\s,，、。;；:：!！?？"“”'‘’()（）《》【】]+/)
    .filter(Boolean)
  return [...new Set(terms)].slice(0, MAX_SEARCH_TERMS)
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)))
}

// --- Personal data guard ------------------------------------------------------------------------

/**
 * Only an organisation's office line is published. A mobile number typed into the switchboard
 * field is most likely a person's own (a village committee chair's), so it is withheld: PIPL
 * forbids publishing it without consent, and the directory cannot know whether it was given.
 */
export function publishableOfficePhone(phone: string | null | undefined): string | null {
  const value = (phone ?? '').trim()
  if (!value) return null
  const digits = value.replace(/\D/g, '')
  const mobile = /^(?:0?86)?1[3-9]\d{9}$/.test(digits)
  return mobile ? null : value
}

// --- HTTP caching -------------------------------------------------------------------------------

/** Seconds a shared cache may keep a directory page: long enough to absorb traffic, short enough that an edit shows soon. */
export const DIRECTORY_MAX_AGE = 300

/**
 * Cache headers for a directory response. A response that sets a cookie (the root loader clears a
 * flash message) is personal and never stored; otherwise shared caches may keep it, keyed by the
 * language the page was rendered in (cookie `lang`, else Accept-Language).
 */
export function directoryCacheHeaders(setsCookie: boolean): Record<string, string> {
  if (setsCookie) return { 'Cache-Control': 'private, no-store' }
  return {
    'Cache-Control': `public, max-age=${DIRECTORY_MAX_AGE}, stale-while-revalidate=60`,
    Vary: 'Accept-Language, Cookie',
  }
}
