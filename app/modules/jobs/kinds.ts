/**
 * What a background job can be, and its parameters: the filter of the export, validated when the
 * job is created and again when the worker reads it back. Parameters hold filters only, never a
 * personal number. Pure (no I/O), shared by routes, the worker and tests.
 */
import { z } from 'zod'
import { ID_PATTERN } from '#app/lib/ids.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import type { BackgroundJobStatus } from '#db/schema.ts'

export const JOB_KINDS = [
  'people.register',
  'experts.register',
  // @cases-orgs-kinds
  'cases.list',
  'orgs.list',
  // @audit-compliance-kinds
  'audit.log',
  'training.compliance',
] as const
export type JobKind = (typeof JOB_KINDS)[number]

/** Each kind's name on the pages: literal keys, so the browser build carries their messages. */
const JOB_TITLES = {
  'people.register': 'jobs.kind.people.register',
  'experts.register': 'jobs.kind.experts.register',
  // @cases-orgs-kinds
  'cases.list': 'jobs.kind.cases.list',
  'orgs.list': 'jobs.kind.orgs.list',
  // @audit-compliance-kinds
  'audit.log': 'jobs.kind.audit.log',
  'training.compliance': 'jobs.kind.training.compliance',
} as const satisfies Record<JobKind, MessageKey>

export function jobTitleKey(kind: JobKind | null): MessageKey {
  return kind ? JOB_TITLES[kind] : 'jobs.kind.unknown'
}

export function isJobKind(value: unknown): value is JobKind {
  return typeof value === 'string' && (JOB_KINDS as readonly string[]).includes(value)
}

const optionalText = (max: number) => z.string().max(max).nullable()

/** 调解员名册: the mediator list's filters and sort; `full` = full numbers for person:reveal holders. */
export const peopleRegisterParams = z
  .object({
    region: z
      .string()
      .regex(/^\d{6,12}$/)
      .nullable(),
    org: z.string().regex(ID_PATTERN).nullable(),
    employment: optionalText(20),
    status: optionalText(20),
    q: z.string().max(100),
    sort: z.enum(['name', 'age', 'org', 'region', 'employment', 'card']),
    dir: z.enum(['asc', 'desc']),
    full: z.boolean(),
  })
  .strict()
export type PeopleRegisterParams = z.infer<typeof peopleRegisterParams>

/** 专家名册: the roster's filters (status 在库 unless named), masked numbers. */
export const expertsRegisterParams = z
  .object({
    q: z.string().max(100),
    tier: optionalText(20),
    status: optionalText(20),
    region: optionalText(12),
    domain: optionalText(32),
    specialty: optionalText(32),
    term: optionalText(20),
    mine: z.boolean(),
    sort: z.enum(['name', 'term_end', 'updated_at']),
    dir: z.enum(['asc', 'desc']),
    full: z.boolean(),
  })
  .strict()
export type ExpertsRegisterParams = z.infer<typeof expertsRegisterParams>

// @cases-orgs-params (schemas of cases.list and orgs.list below this line)

/**
 * 疑难复杂纠纷台账: the case list's status as its URL says it ('open' by default, 'all', or one
 * status; the list's parser reads it back) and search. No full variant: the list shows no numbers.
 */
export const casesListParams = z
  .object({
    status: z.string().regex(/^[a-z_]{1,20}$/),
    q: z.string().max(100),
    full: z.literal(false),
  })
  .strict()
export type CasesListParams = z.infer<typeof casesListParams>

/** 组织机构名录: the organisation list's filters and sort. */
export const orgsListParams = z
  .object({
    region: z
      .string()
      .regex(/^\d{6,12}$/)
      .nullable(),
    kind: optionalText(32),
    status: optionalText(20),
    q: z.string().max(100),
    sort: z.enum(['name', 'kind', 'region', 'status', 'updated']),
    dir: z.enum(['asc', 'desc']),
    full: z.literal(false),
  })
  .strict()
export type OrgsListParams = z.infer<typeof orgsListParams>

// @audit-compliance-params (schemas of audit.log and training.compliance below this line)

/** 审计日志: the audit log page's filters (as parseAuditFilters keeps them) and the file's language. */
export const auditLogParams = z
  .object({
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    user: z.string().max(64).nullable(),
    action: z
      .string()
      .max(64)
      .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/)
      .nullable(),
    result: z.enum(['ok', 'denied', 'failed']).nullable(),
    recordType: z
      .string()
      .max(32)
      .regex(/^[a-z][a-z0-9_]*$/)
      .nullable(),
    recordId: z.string().max(64).nullable(),
    dir: z.enum(['asc', 'desc']),
    // The file is written in the language of the page it was started from, as it was in the request
    // (the values of LOCALES in lib/i18n.ts).
    locale: z.enum(['zh-CN', 'en']),
    // No full variant: the log holds masked numbers only.
    full: z.literal(false),
  })
  .strict()
export type AuditLogParams = z.infer<typeof auditLogParams>

/**
 * 培训达标情况: the compliance page's year and organisation (none: the summary per organisation in
 * scope). `orgPath` is the organisation's region path, looked up by the start route (never taken
 * from the request), so the scope check at the worker and at download needs no query.
 */
export const trainingComplianceParams = z
  .object({
    year: z.number().int().min(2000).max(2100),
    org: z.string().regex(ID_PATTERN).nullable(),
    orgPath: z
      .string()
      .max(200)
      .regex(/^(\/\d{6,12})+\/$/)
      .nullable(),
    locale: z.enum(['zh-CN', 'en']),
    // No full variant: the report has names and figures only.
    full: z.literal(false),
  })
  .strict()
export type TrainingComplianceParams = z.infer<typeof trainingComplianceParams>

export const PARAMS_SCHEMA = {
  'people.register': peopleRegisterParams,
  'experts.register': expertsRegisterParams,
  // @cases-orgs-kinds
  'cases.list': casesListParams,
  'orgs.list': orgsListParams,
  // @audit-compliance-kinds
  'audit.log': auditLogParams,
  'training.compliance': trainingComplianceParams,
} as const satisfies Record<JobKind, z.ZodTypeAny>

export type JobParams<K extends JobKind> = z.infer<(typeof PARAMS_SCHEMA)[K]>

/** The stored JSON of a job's parameters, keys in a fixed order so equal filters give equal text. */
export function serialiseParams(params: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b))))
}

export function parseParams<K extends JobKind>(kind: K, text: string): JobParams<K> | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  const parsed = PARAMS_SCHEMA[kind].safeParse(value)
  return parsed.success ? (parsed.data as JobParams<K>) : null
}

export const OPEN_STATUSES = ['queued', 'running'] as const satisfies readonly BackgroundJobStatus[]

export function isOpen(status: BackgroundJobStatus): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status)
}

/** Whole per cent done, 0 while the total is unknown; never 100 before the job is done. */
export function percentDone(status: BackgroundJobStatus, done: number, total: number | null): number {
  if (status === 'done') return 100
  if (!total || total <= 0) return 0
  return Math.min(99, Math.floor((done / total) * 100))
}

/** Error codes the worker records (shown translated; never internals). */
export const JOB_ERRORS = ['forbidden', 'owner_inactive', 'bad_params', 'too_many_attempts', 'internal'] as const
export type JobError = (typeof JOB_ERRORS)[number]

export function isJobError(value: unknown): value is JobError {
  return typeof value === 'string' && (JOB_ERRORS as readonly string[]).includes(value)
}

/** A job as its pages show it: no parameters, no file key. */
export interface JobView {
  id: string
  kind: JobKind | null
  titleKey: MessageKey
  listPath: string
  status: BackgroundJobStatus
  cancelRequested: boolean
  full: boolean
  done: number
  total: number | null
  percent: number
  createdAt: string
  finishedAt: string | null
  expiresAt: string | null
  fileName: string | null
  fileSize: number | null
  error: JobError | null
}
