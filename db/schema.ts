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
import type { Generated } from 'kysely'

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
  /** Public directory: the services offered (服务内容), free text. */
  services: string | null
  /** Public directory: opening hours (办公时间), free text. */
  opening_hours: string | null
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
  /** Scope region for bureau_staff and reviewer (the region and its subtree). */
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
  /** Last proof of identity in this session (sign-in or re-authentication), for sensitive changes. */
  reauthenticated_at: Instant | null
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

// ---------------------------------------------------------------------------------------------
// Training (培训档案): app/modules/training

/** 岗前/初任 pre-service, 专题 special topic, 年度 annual, 晋级 promotion. */
export type TrainingKind = 'pre_service' | 'topic' | 'annual' | 'promotion'
export type TrainingSource = 'online' | 'offline' | 'external'
/** 集中 classroom, 以会代训, 庭审观摩, 网络 online, 考察 study visit. */
export type TrainingFormat = 'classroom' | 'meeting' | 'hearing' | 'online' | 'visit'

/** A mediator's progress in one course module; started_at is set by the server when it first serves the module. */
export interface TrainingProgressTable {
  id: string
  person_id: string
  course_slug: string
  module_slug: string
  started_at: Instant
  last_seen_at: Instant
  completed_at: Instant | null
  /** Content hash of the module when it was completed (a later change keeps the completion). */
  content_hash: string | null
  check_attempts: number
  /** Percentage of the last check attempt. */
  check_score: number | null
}

/** One entry of the training archive. Hours in tenths of a 学时 (1.5 学时 = 15). */
export interface TrainingRecordTable {
  id: string
  person_id: string
  source: TrainingSource
  /** Unique: `online:<person>:<course>` credits a course once; other sources use their own id. */
  completion_key: string
  course_slug: string | null
  /** The offline session (培训班) this attendance belongs to. */
  session_id: string | null
  title: string
  kind: TrainingKind
  format: TrainingFormat
  organiser: string | null
  hours_tenths: number
  year: number
  completed_on: CalendarDate
  assessment: string | null
  /** External records wait for an org manager's approval; only approved records count. */
  status: 'approved' | 'pending' | 'rejected'
  created_at: Instant
  created_by: string | null
  /** External records: the first day of the training (completed_on is the last). */
  start_date: CalendarDate | null
  /** External records: the proof file under the upload directory, and its checked type. */
  proof_key: string | null
  proof_mime: string | null
  /** External records: who approved or rejected the claim, when and why. */
  reviewed_by: string | null
  reviewed_at: Instant | null
  review_reason: string | null
  version: Generated<number>
}

export type OrganiserLevel = 'province' | 'city' | 'district' | 'township'

/** An offline training session (培训班), owned by a region (bureau) or an organisation. */
export interface TrainingSessionTable {
  id: string
  title: string
  kind: TrainingKind
  format: TrainingFormat
  organiser: string
  organiser_level: OrganiserLevel
  region_code: string
  /** Set when an organisation (committee, association) runs the session. */
  org_id: string | null
  start_date: CalendarDate
  end_date: CalendarDate
  hours_tenths: number
  trainer: string | null
  location: string | null
  version: number
  created_by: string | null
  created_at: Instant
  updated_at: Instant
}

/** An annual training plan (年度培训计划) of a region or an organisation; hours in tenths of a 学时. */
export interface TrainingPlanTable {
  id: string
  year: number
  /** `region:<code>` or `org:<id>`: one plan per scope and year. */
  scope_key: string
  region_code: string
  org_id: string | null
  full_time_tenths: number
  part_time_tenths: number
  sector_tenths: number
  /** New mediators must complete pre-service training within this many months of appointment. */
  pre_service_months: number
  version: number
  created_by: string | null
  created_at: Instant
  updated_at: Instant
}

export interface TrainingCertificateTable {
  id: string
  /** Public, unique: TJ-2026-XXXXXXXX */
  number: string
  person_id: string
  record_id: string
  title: string
  hours_tenths: number
  issued_on: CalendarDate
  status: 'valid' | 'revoked'
  revoked_at: Instant | null
  revoked_reason: string | null
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
  training_progress: TrainingProgressTable
  training_records: TrainingRecordTable
  training_certificates: TrainingCertificateTable
  training_sessions: TrainingSessionTable
  training_plans: TrainingPlanTable
  drill_attempts: DrillAttemptTable
  drill_grades: DrillGradeTable
  drill_events: DrillEventTable
  library_submissions: LibrarySubmissionTable
  library_submission_versions: LibrarySubmissionVersionTable
  library_reviews: LibraryReviewTable
  library_bookmarks: LibraryBookmarkTable
  library_notes: LibraryNoteTable
  cases: CaseTable
  case_parties: CasePartyTable
  case_consultations: CaseConsultationTable
  expert_loads: ExpertLoadTable
  case_recommendations: CaseRecommendationTable
  match_configs: MatchConfigTable
  case_decisions: CaseDecisionTable
  expert_import_batches: ExpertImportBatchTable
  grading_configs: GradingConfigTable
  grading_rounds: GradingRoundTable
  grading_round_events: GradingRoundEventTable
  mediator_case_stats: MediatorCaseStatsTable
  grading_applications: GradingApplicationTable
  grading_attachments: GradingAttachmentTable
  grading_panel_members: GradingPanelMemberTable
  grading_reviewer_conflicts: GradingReviewerConflictTable
  grading_assignments: GradingAssignmentTable
  grading_calibrations: GradingCalibrationTable
  grading_objections: GradingObjectionTable
  mediator_grades: MediatorGradeTable
  grade_certificates: GradeCertificateTable
  api_clients: ApiClientTable
  api_referrals: ApiReferralTable
  // @directory-tables
  organisation_dispute_types: OrganisationDisputeTypeTable
  directory_mediator_preferences: DirectoryMediatorPreferenceTable
  // @api-tables
  api_access_tokens: ApiAccessTokenTable
  api_rate_windows: ApiRateWindowTable
  // @webhooks-tables
  webhook_events: WebhookEventTable
  webhook_deliveries: WebhookDeliveryTable
  webhook_attempts: WebhookAttemptTable
  // @roster-tables
  roster_sources: RosterSourceTable
  roster_org_links: RosterOrgLinkTable
  roster_runs: RosterRunTable
  // @twofactor-tables
  user_two_factor: UserTwoFactorTable
  two_factor_recovery_codes: TwoFactorRecoveryCodeTable
  two_factor_pending: TwoFactorPendingTable
  // @reliability-tables
  // @retention-tables
  // @jobs-tables
  background_jobs: BackgroundJobTable
  // @figures-tables
  training_figure_runs: TrainingFigureRunTable
  training_org_figures: TrainingOrgFiguresTable
  training_org_course_figures: TrainingOrgCourseFiguresTable
  grade_region_figures: GradeRegionFiguresTable
}

/** One row per year: when its organisation figures were last computed, and who is computing them. */
export interface TrainingFigureRunTable {
  year: number
  /** The day the figures were judged on (today, or the year's last day for a past year); null before the first run. */
  as_of: CalendarDate | null
  computed_at: Instant | null
  duration_ms: number | null
  /** The app process computing the figures, and when its claim lapses (a crashed run frees the year). */
  claimed_by: string | null
  claim_expires_at: Instant | null
}

/**
 * Training figures of one organisation for a year, as of its run's `as_of`
 * (app/modules/training/org-figures.server.ts): its active mediators and how many of them are
 * behind the plan, and the approved hours of all its mediators from 1 January to `as_of`.
 */
export interface TrainingOrgFiguresTable {
  year: number
  org_id: string
  mediators: number
  /** 0/1: a plan applies to the organisation. */
  has_plan: number
  behind: number
  pre_service_overdue: number
  hours_tenths: number
  /** Mediators with at least one approved record in the period. */
  people_trained: number
  /** The online course funnel by `as_of` (since ever, as the statistics page counts it): mediators who started a course, finished a module, finished a course. */
  course_started: number
  module_done: number
  course_done: number
}

/** The grade pyramid as the current year's last figures run found it (app/modules/stats/grade-figures.server.ts). */
export interface GradeRegionFiguresTable {
  /** The mediators' own region (people.region_code), as the live pyramid counts them. */
  region_code: string
  /** The best current grade's rank (1 = highest); 0 for mediators without a current grade. */
  grade_rank: number
  grade_name: string | null
  mediators: number
}

/** One online course's funnel within one organisation, by its run's `as_of` (the statistics page's per-course table). */
export interface TrainingOrgCourseFiguresTable {
  year: number
  org_id: string
  course_slug: string
  /** The course's title as its completion records carry it; null while nobody finished it. */
  title: string | null
  started: number
  module_done: number
  course_done: number
}

// Drills (岗位练兵), app/modules/drills ---------------------------------------------------------

export type DrillAttemptStatus = 'in_progress' | 'submitted' | 'graded'

/** One attempt at a drill from content/drills; best and latest results are read from these rows. */
export interface DrillAttemptTable {
  id: string
  drill_slug: string
  kind: 'quiz' | 'scenario' | 'drafting'
  person_id: string
  user_id: string
  /** The drill event (练兵比武) the attempt belongs to; null for practice. */
  event_id: string | null
  /** The author's organisation and region when the attempt started (for results by organisation). */
  org_id: string | null
  region_code: string | null
  attempt_no: number
  status: DrillAttemptStatus
  /** Times a grader returned the draft for revision. */
  revision: number
  seed: string
  /** JSON array of quiz item ids drawn for this attempt, in order; null for other kinds. */
  items: JsonText | null
  /** JSON: quiz answers (item id → values), scenario path (choice ids) or { text } for drafting. */
  answers: JsonText
  /** JSON: per-item correctness, scenario techniques, grader difference… */
  result: JsonText | null
  /** Percent, once graded. */
  score: number | null
  passed: Flag | null
  started_at: Instant
  last_seen_at: Instant
  deadline_at: Instant | null
  submitted_at: Instant | null
  graded_at: Instant | null
  time_spent_seconds: number
  version: number
}

/** A grader's scores for one drafting attempt. */
export interface DrillGradeTable {
  id: string
  attempt_id: string
  grader_user_id: string
  /** JSON: criterion id → { points, comment } */
  scores: JsonText
  comment: string | null
  /** Weighted total × 10 (weights may be fractional). */
  total_tenths: number
  percent: number
  status: 'draft' | 'final' | 'returned'
  created_at: Instant
  updated_at: Instant
  version: number
}

// Case library (精品案例库), app/modules/library ------------------------------------------------

export type LibrarySubmissionStatus = 'draft' | 'submitted' | 'returned' | 'accepted'

/** A case written by a mediator: Markdown sections, never compiled as MDX. */
export interface LibrarySubmissionTable {
  id: string
  author_user_id: string
  author_person_id: string
  org_id: string | null
  /** Region of the author's organisation: reviewers in scope of it may review. */
  scope_region_code: string
  title: string
  dispute_type: string
  /** JSON array of dispute-type codes. */
  domains: JsonText
  region_code: string
  year: number
  source: string
  outcome: string
  amount_range: string
  /** JSON arrays of strings. */
  techniques: JsonText
  legal_basis: JsonText
  tags: JsonText
  summary: string
  facts: string
  process: string
  result: string
  commentary: string
  status: LibrarySubmissionStatus
  /** Number of times submitted; each submit stores a snapshot in library_submission_versions. */
  revision: number
  version: number
  submitted_at: Instant | null
  accepted_at: Instant | null
  accepted_by: string | null
  created_at: Instant
  updated_at: Instant
}

export interface LibrarySubmissionVersionTable {
  id: string
  submission_id: string
  revision: number
  /** JSON snapshot of the submission as submitted. */
  snapshot: JsonText
  created_by: string
  created_at: Instant
}

export interface LibraryReviewTable {
  id: string
  submission_id: string
  revision: number
  reviewer_user_id: string
  reviewer_name: string
  decision: 'accept' | 'return'
  /** JSON: criterion → score 1-5. */
  scores: JsonText
  total: number
  comments: string
  created_at: Instant
}

export interface LibraryBookmarkTable {
  user_id: string
  case_key: string
  created_at: Instant
}

/** A mediator's private note on a case: only its author ever reads it. */
export interface LibraryNoteTable {
  user_id: string
  case_key: string
  body: string
  created_at: Instant
  updated_at: Instant
}

/** A drill event (练兵比武): some drills, for an organisation or a region subtree, within a window. */
export interface DrillEventTable {
  id: string
  title: string
  /** JSON array of drill slugs. */
  slugs: JsonText
  /** Exactly one of region_code (the region and its subtree) and org_id is set. */
  region_code: string | null
  org_id: string | null
  starts_at: Instant
  ends_at: Instant
  created_by: string | null
  created_at: Instant
  version: number
}

// ---------------------------------------------------------------------------------------------
// Difficult cases and expert matching (疑难复杂纠纷与专家匹配): app/modules/cases, app/modules/matching

/** 当事人申请, 调委会主动, 法院委派/委托 (诉调), 公安 (警调), 信访 (访调), 检察 (检调), 其他部门. */
export type CaseSource = 'party' | 'committee' | 'court' | 'police' | 'petition' | 'procuratorate' | 'other'
export type CaseDifficulty = 'ordinary' | 'complex' | 'major'
/** 书面意见 written advice, 参与调解 joining the mediation, 远程 remote. */
export type ConsultationMode = 'written' | 'joining' | 'remote'
/** 登记 → 受理 → 调解中 / 专家咨询 → 调解成功 | 调解不成 → 结案 → 归档. */
export type CaseStatus = 'registered' | 'accepted' | 'mediating' | 'consulting' | 'succeeded' | 'failed' | 'closed' | 'archived'

export interface CaseTable {
  id: string
  /** （2026）海人调字第 12 号, unique; from org_id, case_year and case_seq. */
  case_number: string
  /** Handling organisation (committee). */
  org_id: string
  case_year: number
  case_seq: number
  title: string
  summary: string
  dispute_type_code: string
  /** JSON array of further dispute-type codes the case touches. */
  domains: JsonText
  region_code: string
  source: CaseSource
  difficulty: CaseDifficulty
  /** Amount in dispute, in fen. */
  amount_fen: number | null
  party_count: number
  experts_needed: number
  /** Experts holding a slot (invited, accepted, submitted, rated); raised only by a conditional update. */
  experts_assigned: number
  /** JSON array of matching CaseRequirement. */
  requirements: JsonText
  requires_outside_region: Flag
  consultation_mode: ConsultationMode
  period_start: CalendarDate
  period_end: CalendarDate
  deadline: CalendarDate
  status: CaseStatus
  registered_at: Instant
  accepted_at: Instant | null
  mediation_started_at: Instant | null
  concluded_at: Instant | null
  closed_at: Instant | null
  archived_at: Instant | null
  outcome_note: string | null
  version: number
  created_by: string | null
  created_at: Instant
  updated_at: Instant
  /** When the parties' personal data was removed after the retention period (app/modules/retention); null while kept. */
  parties_purged_at: Instant | null
}

export interface CasePartyTable {
  id: string
  case_id: string
  kind: 'person' | 'organisation'
  name: string
  org_id: string | null
  id_number_enc: string | null
  id_number_hash: string | null
  id_number_masked: string | null
  sort: number
}

export type ConsultationStatus = 'invited' | 'accepted' | 'declined' | 'submitted' | 'rated' | 'withdrawn'
export type ConsultationSource = 'recommended' | 'search' | 'override' | 'batch'

export interface CaseConsultationTable {
  id: string
  case_id: string
  expert_id: string
  status: ConsultationStatus
  source: ConsultationSource
  override_reason: string | null
  mode: ConsultationMode
  deadline: CalendarDate
  score_total: number | null
  /** JSON ScoreComponents at invitation time. */
  score_components: JsonText | null
  config_version: number
  invited_by: string | null
  invited_at: Instant
  responded_at: Instant | null
  decline_reason: string | null
  opinion_issues: string | null
  opinion_analysis: string | null
  opinion_resolution: string | null
  opinion_legal_basis: string | null
  hours_tenths: number | null
  submitted_at: Instant | null
  rating: number | null
  rating_comment: string | null
  rated_by: string | null
  rated_at: Instant | null
  version: number
}

export interface ExpertLoadTable {
  expert_id: string
  active_count: number
  completed_count: number
  rating_count: number
  rating_sum: number
  hours_tenths: number
  last_assigned_on: CalendarDate | null
  updated_at: Instant
}

export interface CaseRecommendationTable {
  id: string
  case_id: string
  config_version: number
  eligible_count: number
  /** JSON: RecommendedExpert[] (score components, total, reasons). */
  items: JsonText
  /** JSON: ExclusionSummary. */
  excluded: JsonText
  created_by: string | null
  created_at: Instant
}

export type CaseDecisionKind = 'conflict_pin' | 'time_extension'

/** A staff decision on a case with its reason (db/migrations/20261123600700_case_decisions.ts). */
export interface CaseDecisionTable {
  id: string
  case_id: string
  kind: CaseDecisionKind
  /** The expert's id for a conflict pin; 'time_limit' for the extension. */
  subject: string
  /** Days added (time_extension); null otherwise. */
  days: number | null
  reason: string
  created_by: string | null
  created_at: Instant
}

export interface MatchConfigTable {
  version: number
  /** JSON MatchConfig. */
  config: JsonText
  /** 专家咨询补贴 per hour, in fen. */
  subsidy_fen_per_hour: number
  note: string | null
  created_by: string | null
  created_at: Instant
}

// Expert import (issue 3, item 9), app/modules/experts/import ------------------------------------

export type ExpertImportStatus = 'checked' | 'importing' | 'done' | 'discarded'

/** An uploaded expert spreadsheet, checked and staged until its creator imports or discards it. */
export interface ExpertImportBatchTable {
  id: string
  created_by: string
  file_name: string
  status: ExpertImportStatus
  /** 'all' (the file was clean) or 'good' (only the rows without errors); null until started. */
  mode: 'all' | 'good' | null
  total_rows: number
  good_rows: number
  bad_rows: number
  existing_rows: number
  /** How many of the staged good rows have been processed. */
  next_index: number
  imported_rows: number
  /** Rows found already registered while importing (someone admitted them meanwhile). */
  skipped_rows: number
  /** JSON ImportReport: row numbers, names, columns and message references; no personal numbers. */
  report: string
  /** Encrypted JSON of the staged rows; '' once the import ends. */
  payload: string
  created_at: Instant
  updated_at: Instant
}

// Grade evaluation (等级评定, issue 8), app/modules/grading -------------------------------------
//
// An association's grading rules live in versioned `grading_configs` rows (JSON validated by
// app/modules/grading/config.ts); a round points at the version it started with, so editing the
// rules never changes a running round. Mediators' case statistics come from `mediator_case_stats`
// (entered or imported by the org manager, confirmed by the mediator). An application snapshots
// every piece of evidence at submission. Reviewers score through `grading_assignments`; their
// scores are blind (loaders never select the applicant's identity for a reviewer).

/** Lifecycle: draft → open → eligibility → scoring → notice → resolved → finalised; cancelled from any but finalised. */
export type GradingRoundStatus = 'draft' | 'open' | 'eligibility' | 'scoring' | 'notice' | 'resolved' | 'finalised' | 'cancelled'

/** One version of an association's grading rules (ladder, conditions, thresholds, rubric). Never updated once a round uses it. */
export interface GradingConfigTable {
  id: string
  /** The association (organisations.kind = 'association') the rules belong to. */
  association_org_id: string
  /** 1, 2, 3… per association. */
  version_no: number
  /** JSON GradingConfig (app/modules/grading/config.ts). */
  config: JsonText
  note: string | null
  created_by: string
  created_at: Instant
}

export interface GradingRoundTable {
  id: string
  association_org_id: string
  /** The config version the round started with. */
  config_id: string
  title: string
  status: GradingRoundStatus
  /** JSON string[]: grade codes open for application in this round. */
  grade_codes: JsonText
  /** JSON Record<gradeCode, number>: optional quotas per grade. */
  quotas: JsonText
  applications_open_on: CalendarDate
  applications_close_on: CalendarDate
  notice_start_on: CalendarDate | null
  notice_end_on: CalendarDate | null
  /** Reviewer committee composition as recorded by the association (JSON [{ name, affiliation, kind }]). */
  committee: JsonText
  created_by: string
  version: number
  created_at: Instant
  updated_at: Instant
}

/** Every status change of a round: who, when, from, to, why. */
export interface GradingRoundEventTable {
  id: string
  round_id: string
  from_status: GradingRoundStatus | null
  to_status: GradingRoundStatus
  user_id: string
  note: string | null
  created_at: Instant
}

/** Case statistics per mediator and year, entered or imported by the org manager and confirmed by the mediator. */
export interface MediatorCaseStatsTable {
  id: string
  person_id: string
  year: number
  disputes_mediated: number
  successful: number
  /** Successful mediations closed by oral (not written) agreement. */
  oral_agreements: number
  entered_by: string
  entered_at: Instant
  /** Set when the mediator confirms the figures; cleared when they change. */
  confirmed_at: Instant | null
  version: number
}

export type GradingApplicationStatus =
  | 'submitted' // waiting for pre-review
  | 'eligible' // passed pre-review (automatic or overridden)
  | 'ineligible' // failed pre-review
  | 'scored' // all assigned reviewers have scored and no discrepancy is pending
  | 'proposed' // ranked within quota and pass score: on the 公示 list
  | 'awarded' // finalised with the grade (grades this association rates)
  | 'recommended' // finalised as recommended upward (grades this association only recommends)
  | 'not_awarded' // not awarded (below pass score, beyond quota, objection upheld), with outcome_reason
  | 'withdrawn'

export interface GradingApplicationTable {
  id: string
  round_id: string
  person_id: string
  /** The applicant's organisation at submission (for reviewer conflicts and the notice). */
  org_id: string
  grade_code: string
  status: GradingApplicationStatus
  /** Short code reviewers see instead of a name, e.g. 'G-2026-0007'. Unique per round. */
  blind_code: string
  /** The user who submitted: the mediator or their org manager. */
  applied_by: string
  /** JSON EvidenceSnapshot gathered at submission (training, drills, library, grade, case stats, attachments). */
  evidence: JsonText
  /** JSON EligibilityResult: rule by rule, with the evidence behind each verdict. */
  eligibility: JsonText
  /** Automatic verdict. */
  eligible_auto: Flag
  /** Pre-review override: null, 'eligible' or 'ineligible', with a written reason. */
  override_verdict: 'eligible' | 'ineligible' | null
  override_reason: string | null
  override_by: string | null
  /** Final score in hundredths of a point (integer arithmetic), once aggregated. */
  final_score: number | null
  /** Rank within the grade, once ranked. */
  rank_in_grade: number | null
  /** Why the outcome is what it is (quota, objection upheld…). */
  outcome_reason: string | null
  submitted_at: Instant
  version: number
  created_at: Instant
  updated_at: Instant
}

/** Extra evidence files (PDF, JPG, PNG), stored under TIAOJIE_UPLOAD_DIR, served only through an access check. */
export interface GradingAttachmentTable {
  id: string
  /** Null while the mediator prepares an application (attached on submission). */
  application_id: string | null
  person_id: string
  file_name: string
  mime: string
  size_bytes: number
  sha256: string
  /** Path relative to the upload directory. */
  storage_key: string
  uploaded_by: string
  created_at: Instant
}

/** Reviewers on a round's panel. */
export interface GradingPanelMemberTable {
  id: string
  round_id: string
  user_id: string
  active: Flag
  created_at: Instant
}

/** A reviewer's declared conflict with a person (applicant) for a round. */
export interface GradingReviewerConflictTable {
  id: string
  round_id: string
  user_id: string
  person_id: string
  reason: string
  created_at: Instant
}

export type GradingAssignmentStatus = 'assigned' | 'submitted' | 'removed'

/** One reviewer scoring one application; the scores live on the row once submitted (never edited). */
export interface GradingAssignmentTable {
  id: string
  application_id: string
  round_id: string
  reviewer_user_id: string
  /** 'initial', 'discrepancy' (extra reviewer), 'reassigned'. */
  reason: 'initial' | 'discrepancy' | 'reassigned'
  status: GradingAssignmentStatus
  /** JSON Record<criterionKey, { points (hundredths), comment }>; null until submitted. */
  scores: JsonText | null
  /** Sum of criterion points × weights, hundredths of a point; null until submitted. */
  total: number | null
  assigned_at: Instant
  submitted_at: Instant | null
}

/** A reviewer's calibration scoring of a sample application, with how far off they were. */
export interface GradingCalibrationTable {
  id: string
  round_id: string
  reviewer_user_id: string
  sample_key: string
  /** JSON Record<criterionKey, points (hundredths)>. */
  scores: JsonText
  total: number
  reference_total: number
  /** |total − reference_total|, hundredths. */
  deviation: number
  created_at: Instant
}

export type GradingObjectionStatus = 'open' | 'upheld' | 'dismissed'

/** 异议 filed by anyone during a round's notice; investigated and answered by the association. */
export interface GradingObjectionTable {
  id: string
  round_id: string
  /** The result objected to (null for an objection against the round as a whole). */
  application_id: string | null
  filer_name: string
  /** AES-GCM ciphertext of the contact (phone or e-mail) and its masked form. */
  filer_contact_enc: string
  filer_contact_masked: string
  grounds: string
  /** Optional attachment (same storage rules as grading_attachments). */
  attachment_key: string | null
  attachment_name: string | null
  attachment_mime: string | null
  status: GradingObjectionStatus
  investigation: string | null
  response: string | null
  decided_by: string | null
  decided_at: Instant | null
  version: number
  created_at: Instant
}

export type MediatorGradeStatus = 'current' | 'superseded' | 'expired' | 'demoted' | 'revoked'

/** A mediator's grade history: every award, demotion and revocation. */
export interface MediatorGradeTable {
  id: string
  person_id: string
  association_org_id: string
  grade_code: string
  /** The grade's name at award time (ladders can change later). */
  grade_name: string
  /** Rank in the ladder: 1 is the highest. */
  grade_rank: number
  status: MediatorGradeStatus
  valid_from: CalendarDate
  valid_until: CalendarDate
  /** How the grade came about: 'round' (evaluation), 'demotion' (a lower grade after a demotion), 'import'. */
  source: 'round' | 'demotion' | 'import'
  round_id: string | null
  application_id: string | null
  /** For demotion and revocation: the reason and the notice period. */
  change_reason: string | null
  notice_start_on: CalendarDate | null
  notice_end_on: CalendarDate | null
  changed_by: string | null
  changed_at: Instant | null
  version: number
  created_at: Instant
}

/** Grade certificates (等级证书), verifiable in public by their number. */
export interface GradeCertificateTable {
  id: string
  /** Public, unique: DJ-2026-XXXXXXXX */
  number: string
  person_id: string
  mediator_grade_id: string
  grade_name: string
  association_name: string
  issued_on: CalendarDate
  valid_until: CalendarDate
  status: 'valid' | 'revoked'
  revoked_at: Instant | null
  revoked_reason: string | null
  created_at: Instant
}

// Partner API (issue 12), app/modules/api ------------------------------------------------------

export type ApiClientKind = 'court' | 'police' | 'procuratorate' | 'partner'
export type ApiClientStatus = 'active' | 'disabled'

/** A partner system allowed to call /api/v1, registered by an administrator. */
export interface ApiClientTable {
  id: string
  name: string
  kind: ApiClientKind
  /** Records outside this region (and its descendants) are invisible to the client. */
  region_code: string
  /** JSON array of scope names, e.g. ["orgs:read","cases:refer"]. */
  scopes: JsonText
  /** SHA-256 (hex) of the client secret, which is shown once at registration or rotation. */
  secret_hash: string
  /** Last four characters of the secret, to tell secrets apart in the UI. */
  secret_hint: string
  /** Where status notifications go (https in production); null for no webhooks. */
  webhook_url: string | null
  /** Webhook signing secret, encrypted with the data key (lib/crypto.server.ts encrypt). */
  webhook_secret: string | null
  rate_limit_per_minute: number
  status: ApiClientStatus
  last_used_at: Instant | null
  version: number
  created_by: string | null
  created_at: Instant
  updated_at: Instant
}

/** A case referred through the API (诉调/警调对接) and who referred it. */
export interface ApiReferralTable {
  id: string
  client_id: string
  /** Unique: a case has at most one referring client. */
  case_id: string
  /** The referring system's own reference (e.g. a court docket number). */
  external_ref: string
  /** Unique per client: a retried POST with the same key returns the same case. */
  idempotency_key: string
  created_at: Instant
  /** SHA-256 of the canonical request body: the same key with another body is refused (409). */
  request_hash: string | null
}

// @directory-types

// Public directory (公开名录, issue 12), app/modules/directory ------------------------------------

/** The dispute types an organisation takes (受理纠纷类型), for the directory's filter. */
export interface OrganisationDisputeTypeTable {
  org_id: string
  dispute_type_code: string
}

/** Optional fields a graded mediator hides from the public directory; no row hides nothing. */
export interface DirectoryMediatorPreferenceTable {
  person_id: string
  hide_org: Flag
  hide_valid_until: Flag
  version: number
  updated_at: Instant
}

// @api-types

/** An OAuth2 access token (client credentials), stored only as its SHA-256 hash. */
export interface ApiAccessTokenTable {
  token_hash: string
  client_id: string
  /** JSON array of the scopes granted to this token. */
  scopes: JsonText
  expires_at: Instant
  created_at: Instant
}

/** Requests a client made in one minute (fixed window), shared by every app server. */
export interface ApiRateWindowTable {
  client_id: string
  /** The minute's start, e.g. 2026-12-05T21:14:00.000Z */
  window_start: Instant
  hits: number
}

// @webhooks-types
// Status notifications (webhooks) to referring partner systems, app/modules/webhooks -----------

export type WebhookEventType = 'case.status_changed'
export type WebhookDeliveryKind = 'original' | 'replay'
export type WebhookDeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed'

/** An event for one client, written in the transaction of the change it reports (outbox). */
export interface WebhookEventTable {
  /** The event id receivers deduplicate on; the same in every delivery of the event. */
  id: string
  client_id: string
  case_id: string
  type: WebhookEventType
  /** The exact JSON body sent, frozen when the event happened. */
  body: JsonText
  created_at: Instant
}

/** Sending one event: the original delivery or a replay, with its retries. */
export interface WebhookDeliveryTable {
  id: string
  event_id: string
  client_id: string
  kind: WebhookDeliveryKind
  status: WebhookDeliveryStatus
  /** The event id while pending or sending, null after: unique, so one open delivery per event. */
  open_event_id: string | null
  attempt_count: number
  /** When a pending delivery is due (null once it has ended). */
  next_attempt_at: Instant | null
  /** The worker holding the claim while sending, and when its claim lapses. */
  claimed_by: string | null
  claim_expires_at: Instant | null
  last_status_code: number | null
  last_error: string | null
  delivered_at: Instant | null
  /** The user who asked for a replay. */
  requested_by: string | null
  version: number
  created_at: Instant
  updated_at: Instant
}

/** One HTTP attempt of a delivery. */
export interface WebhookAttemptTable {
  id: string
  delivery_id: string
  attempt_no: number
  started_at: Instant
  duration_ms: number
  status_code: number | null
  /** Why the attempt failed (timeout, refused, redirect, status), null on success. */
  error: string | null
  /** The first characters of the receiver's answer, for diagnosis. */
  response_excerpt: string | null
}

// @roster-types

/** A system whose roster exports are imported (roster sync, issue 12 part 4), with its saved column mappings. */
export interface RosterSourceTable {
  id: string
  name: string
  /** JSON: field → source column header, for organisation files. */
  org_mapping: string
  /** JSON: field → source column header, for mediator files. */
  mediator_mapping: string
  version: number
  created_by: string
  created_at: Instant
  updated_at: Instant
}

/** The code a source system gives a Tiaojie organisation (one per organisation and source). */
export interface RosterOrgLinkTable {
  source_id: string
  code: string
  org_id: string
  created_at: Instant
}

export type RosterRunKind = 'orgs' | 'mediators'
export type RosterRunStatus = 'uploaded' | 'previewed' | 'applied' | 'discarded'

/** One roster sync: upload, mapping, diff preview, apply (docs/decisions/022-roster-sync.md). */
export interface RosterRunTable {
  id: string
  source_id: string
  kind: RosterRunKind
  /** The region subtree this run may change (within the user's scope). */
  region_code: string
  file_name: string
  /** SHA-256 of the uploaded bytes, hex. */
  checksum: string
  status: RosterRunStatus
  /** JSON: field → source column header used for the preview. */
  mapping: string
  /** Hash of the previewed diff and the versions it read; null before a preview. */
  fingerprint: string | null
  total_rows: number
  new_count: number
  changed_count: number
  unchanged_count: number
  missing_count: number
  error_count: number
  deactivate_missing: Flag
  applied_new: number
  applied_changed: number
  applied_deactivated: number
  /** JSON preview report, masked numbers only. */
  report: string
  /** Encrypted uploaded sheet (headers and cells); '' once applied or discarded. */
  payload: string
  created_by: string
  created_at: Instant
  applied_by: string | null
  applied_at: Instant | null
  version: number
}

// @twofactor-types

// Two-factor sign-in (TOTP), app/modules/auth/two-factor*.ts -------------------------------------

export interface UserTwoFactorTable {
  user_id: string
  /** The active TOTP secret sealed with the data key (app/lib/crypto.server.ts); null until confirmed. */
  secret_enc: string | null
  confirmed_at: Instant | null
  /** The 30-second time step of the last accepted code; codes of this step or older are refused. */
  last_used_step: number
  /** A secret being enrolled, sealed; it replaces `secret_enc` once a valid code confirms it. */
  candidate_secret_enc: string | null
  candidate_created_at: Instant | null
  created_at: Instant
  updated_at: Instant
}

export interface TwoFactorRecoveryCodeTable {
  id: string
  user_id: string
  /** SHA-256 (hex) of the user id and the normalised code; the code itself is shown once. */
  code_hash: string
  used_at: Instant | null
  created_at: Instant
}

export type TwoFactorPendingPurpose = 'verify' | 'enrol'

export interface TwoFactorPendingTable {
  /** SHA-256 (hex) of the token in the browser's pending cookie. */
  id: string
  user_id: string
  purpose: TwoFactorPendingPurpose
  /** Where to go once signed in (already checked by safeRedirectPath). */
  redirect_to: string
  /** Wrong codes entered against this pending sign-in. */
  attempts: number
  created_at: Instant
  expires_at: Instant
}

// @reliability-types

// @retention-types

// @jobs-types
// Background jobs (long exports with progress and cancel), app/modules/jobs -------------------

export type BackgroundJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'expired'

/** One long export run by the worker (docs/decisions/029-background-exports.md). */
export interface BackgroundJobTable {
  id: string
  /** What to run, e.g. `people.register` (app/modules/jobs/kinds.ts). */
  kind: string
  owner_id: string
  /** The filter as JSON, validated per kind; never personal numbers. */
  params: JsonText
  /** Set while queued or running (unique): owner, kind and params hashed, so a double submit finds the open job. */
  open_key: string | null
  status: BackgroundJobStatus
  progress_done: number
  progress_total: number | null
  /** 0/1: the owner asked to stop; the worker stops between batches. */
  cancel_requested: number
  /** The worker running the job and when its claim lapses (renewed per batch). */
  claimed_by: string | null
  claim_expires_at: Instant | null
  attempts: number
  /** The encrypted result file's name under TIAOJIE_UPLOAD_DIR/exports, its download name and size. */
  result_key: string | null
  result_name: string | null
  result_size: number | null
  /** JSON: what the download's audit event records (count, revealed). */
  result_detail: JsonText | null
  error_code: string | null
  created_at: Instant
  started_at: Instant | null
  finished_at: Instant | null
  /** When the result file is deleted. */
  expires_at: Instant | null
  updated_at: Instant
  version: number
}
