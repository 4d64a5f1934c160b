/**
 * The one typed description of Tiaojie's database, shared by both dialects.
 *
 * Storage rules (docs/decisions/002-portable-storage.md), chosen so SQLite and MySQL/MariaDB
 * return the same JavaScript values:
 * - ids: 26-character, time-ordered ids made in the app (`newId()`), never auto-increment;
 *   reference data keyed by its natural code (region code, dispute-type code).
 * - instants: UTC ISO-8601 strings with milliseconds (`2026-11-23T08:00:00.000Z`), `Instant`.
 * - calendar dates: `YYYY-MM-DD` strings, `CalendarDate`.
 * - booleans: integers 0/1, `Flag`.
 * - JSON: text holding JSON, `JsonText`; parsed in the module that owns the column.
 * - money: integer fen (分).
 */
/** UTC ISO-8601 instant with milliseconds, e.g. 2026-11-23T08:00:00.000Z */
export type Instant = string
/** Calendar date, YYYY-MM-DD */
export type CalendarDate = string
/** Boolean stored as 0/1 */
export type Flag = 0 | 1
/** Text column holding JSON */
export type JsonText = string

export type RegionLevel = 'province' | 'city' | 'district' | 'township' | 'village'

export interface RegionTable {
  /** GB/T 2260 code (6 digits) or the longer township/village code. */
  code: string
  name: string
  level: RegionLevel
  parent_code: string | null
  /** Materialised path of codes, e.g. `/110000/110105/`, so a subtree is one prefix match. */
  path: string
  sort: number
}

export type OrgKind =
  | 'justice_bureau' // 司法局
  | 'justice_office' // 司法所
  | 'association' // 人民调解协会
  | 'committee_village' // 村(居)人民调解委员会
  | 'committee_township' // 乡镇(街道)人民调解委员会
  | 'committee_enterprise' // 企事业单位人民调解委员会
  | 'committee_sector' // 行业性专业性人民调解委员会
  | 'committee_stationed' // 派驻人民调解工作室
  | 'studio' // 个人调解工作室

export interface OrganisationTable {
  id: string
  name: string
  kind: OrgKind
  /** For sector (行专) committees: the dispute-type code of the sector, e.g. 医疗. */
  sector_code: string | null
  region_code: string
  /** The body that guides or supervises this one (bureau → office → committee). */
  parent_id: string | null
  address: string | null
  /** Organisation switchboard: not personal data. */
  contact_phone: string | null
  status: 'active' | 'dissolved'
  version: number
  created_at: Instant
  updated_at: Instant
}

export interface DisputeTypeTable {
  code: string
  name_zh: string
  name_en: string
  category: 'standard' | 'sector'
  sort: number
  active: Flag
}

export type Gender = 'male' | 'female'

export interface PersonTable {
  id: string
  name: string
  gender: Gender | null
  birth_date: CalendarDate | null
  /** AES-256-GCM ciphertext with key version, see app/lib/crypto.server.ts */
  id_number_enc: string | null
  /** Keyed hash (HMAC-SHA-256) for lookups and uniqueness. */
  id_number_hash: string | null
  /** Masked form, safe to send to any page: 110105********1234 */
  id_number_masked: string | null
  phone_enc: string | null
  phone_hash: string | null
  phone_masked: string | null
  region_code: string
  /** Primary organisation (committee, bureau, employer registered in Tiaojie). */
  org_id: string | null
  version: number
  created_at: Instant
  updated_at: Instant
}

export interface MediatorTable {
  person_id: string
  org_id: string
  employment: 'full_time' | 'part_time'
  /** 持证上岗 work-card number, one per person. */
  card_number: string | null
  started_on: CalendarDate | null
  status: 'active' | 'inactive'
  version: number
  created_at: Instant
  updated_at: Instant
}

export interface UserTable {
  id: string
  /** Lower-cased, unique; compared case-insensitively on both dialects by normalising. */
  username: string
  display_name: string
  /** argon2id PHC string; null until the account is set up through its one-time link. */
  password_hash: string | null
  person_id: string | null
  status: 'active' | 'disabled'
  last_sign_in_at: Instant | null
  password_changed_at: Instant | null
  version: number
  created_at: Instant
  updated_at: Instant
}

export type Role =
  | 'admin'
  | 'security_admin'
  | 'auditor'
  | 'bureau_staff'
  | 'association_admin'
  | 'org_manager'
  | 'mediator'
  | 'expert'
  | 'reviewer'

export interface RoleGrantTable {
  id: string
  user_id: string
  role: Role
  /** Scope region for bureau_staff (the region and its subtree). */
  region_code: string | null
  /** Scope organisation for association_admin and org_manager. */
  org_id: string | null
  created_at: Instant
  created_by: string | null
}

export interface SessionTable {
  /** SHA-256 (hex) of the session token; the token itself is never stored. */
  id: string
  user_id: string
  expires_at: Instant
  created_at: Instant
  last_used_at: Instant
  ip: string | null
  user_agent: string | null
}

export interface SetupTokenTable {
  /** SHA-256 (hex) of the one-time token shown to the administrator. */
  token_hash: string
  user_id: string
  purpose: 'setup' | 'reset'
  expires_at: Instant
  used_at: Instant | null
  created_by: string | null
  created_at: Instant
}

export interface SignInThrottleTable {
  /** `account:<username>` or `address:<ip>` */
  key: string
  failures: number
  locked_until: Instant | null
  /** Token bucket for addresses, in thousandths of a token. */
  bucket_milli: number
  updated_at: Instant
}

export type AuditResult = 'ok' | 'denied' | 'failed'

export interface AuditLogTable {
  id: string
  at: Instant
  user_id: string | null
  username: string | null
  roles: string | null
  scope: string | null
  ip: string | null
  action: string
  record_type: string | null
  record_id: string | null
  result: AuditResult
  /** JSON: { before?, after?, reason?, ... } with personal numbers masked. */
  detail: JsonText | null
}

export interface SettingTable {
  key: string
  value: JsonText
  version: number
  updated_at: Instant
  updated_by: string | null
}

/** One row per form submission key, so a double submit or a refresh creates one record. */
export interface SubmissionKeyTable {
  key: string
  user_id: string
  /** Where the first submission led, to send the repeat there too. */
  result: string
  created_at: Instant
}

// ---------------------------------------------------------------------------------------------
// Expert pool (专家库): app/modules/experts, docs/decisions/009-expert-pool-scope.md

/** 全国 / 省级 / 市级 / 区县级: the level of the body that appointed the expert. */
export type ExpertTier = 'national' | 'provincial' | 'municipal' | 'district'
export type ExpertStatus = 'active' | 'suspended' | 'retired' | 'removed'
export type ExpertContactPreference = 'phone' | 'sms' | 'wechat' | 'via_office'

/** An expert is a person (name, gender, birth date, sealed numbers in `people`) plus this profile. */
export interface ExpertTable {
  person_id: string
  /** Copy of people.name for the roster's search, sort and keyset pagination; written with the person. */
  name: string
  tier: ExpertTier
  /** Region of the appointing body; null for national (全国) experts. */
  region_code: string | null
  appointing_org_id: string | null
  /** 工作单位, as text; employer_org_id when it is an organisation registered in Tiaojie. */
  employer: string
  employer_org_id: string | null
  /** 职称, e.g. 主任医师, 教授, 高级工程师. */
  title: string | null
  /** JSON array of profession codes (法学, 医学…), see app/modules/experts/model.ts. */
  professions: JsonText
  /** JSON array of languages and dialects. */
  languages: JsonText
  bio: string | null
  /** Generated file name under data/uploads/experts, never a user-supplied name. */
  photo_file: string | null
  photo_type: string | null
  /** The current term (the latest row of expert_terms). */
  term_start: CalendarDate
  term_end: CalendarDate
  status: ExpertStatus
  max_concurrent_cases: number
  contact_preference: ExpertContactPreference
  contact_note: string | null
  version: number
  created_at: Instant
  updated_at: Instant
  created_by: string | null
}

/** Domains (领域, from the dispute types) and the dispute types handled best (擅长纠纷类型). */
export interface ExpertDomainTable {
  expert_id: string
  dispute_type_code: string
  role: 'primary' | 'secondary' | 'specialty'
}

export interface ExpertTermTable {
  id: string
  expert_id: string
  kind: 'appointed' | 'renewed'
  start_date: CalendarDate
  end_date: CalendarDate
  note: string | null
  created_by: string | null
  created_at: Instant
}

export interface ExpertStatusChangeTable {
  id: string
  expert_id: string
  /** Null for the admission itself. */
  from_status: ExpertStatus | null
  to_status: ExpertStatus
  reason: string
  changed_by: string | null
  changed_at: Instant
}

/** Periods an expert cannot take cases (travel, illness), entered by staff or the expert. */
export interface ExpertUnavailabilityTable {
  id: string
  expert_id: string
  start_date: CalendarDate
  end_date: CalendarDate
  reason: string | null
  entered_by: 'staff' | 'expert'
  created_by: string | null
  created_at: Instant
}

/** Declared conflicts of interest (回避). The employer counts without a row. */
export interface ExpertConflictTable {
  id: string
  expert_id: string
  kind: 'organisation' | 'person'
  name: string
  org_id: string | null
  /** lookupHash('id', …) of the other person's ID number, for matching parties; never the number. */
  id_number_hash: string | null
  id_number_masked: string | null
  note: string | null
  start_date: CalendarDate | null
  /** Null while the conflict lasts. */
  end_date: CalendarDate | null
  declared_by: 'staff' | 'expert'
  created_by: string | null
  created_at: Instant
}

/** 择优推荐: a recommendation to the next tier up, decided by the higher body. */
export interface ExpertRecommendationTable {
  id: string
  expert_id: string
  from_tier: ExpertTier
  from_region_code: string | null
  to_tier: ExpertTier
  /** The higher body's region; null when recommending to the national pool. */
  to_region_code: string | null
  reason: string
  status: 'pending' | 'accepted' | 'declined'
  decision_reason: string | null
  recommended_by: string | null
  recommended_at: Instant
  decided_by: string | null
  decided_at: Instant | null
  /** The expert id while pending, null once decided: a unique key allows one pending recommendation. */
  pending_key: string | null
  version: number
}

/** Compiled MDX by content hash, so a restart or another app server does not recompile. */
export interface MdxCacheTable {
  hash: string
  code: string
  frontmatter: JsonText
  created_at: Instant
}

export interface Database {
  mdx_cache: MdxCacheTable
  regions: RegionTable
  organisations: OrganisationTable
  dispute_types: DisputeTypeTable
  people: PersonTable
  mediators: MediatorTable
  users: UserTable
  role_grants: RoleGrantTable
  sessions: SessionTable
  setup_tokens: SetupTokenTable
  sign_in_throttle: SignInThrottleTable
  audit_log: AuditLogTable
  settings: SettingTable
  submission_keys: SubmissionKeyTable
  experts: ExpertTable
  expert_domains: ExpertDomainTable
  expert_terms: ExpertTermTable
  expert_status_changes: ExpertStatusChangeTable
  expert_unavailability: ExpertUnavailabilityTable
  expert_conflicts: ExpertConflictTable
  expert_recommendations: ExpertRecommendationTable
}
