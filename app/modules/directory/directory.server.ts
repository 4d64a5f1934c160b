/**
 * The public directory's queries (公开名录): mediation organisations, graded mediators and the
 * expert pool's public face. Nothing here reads a session: every function answers the same for
 * every caller, so pages built on it can be cached by a proxy.
 *
 * STABLE API for other modules (the partner API under /api/v1 reuses these):
 *   listPublicOrganisations(db, options) → { items: PublicOrganisation[], nextCursor, total? }
 *   listPublicMediators(db, options)     → { items: PublicMediator[],     nextCursor, total? }
 *   listPublicExperts(db, options)       → { items: PublicExpert[],       nextCursor, total?, closed }
 * Options: q, region, scopeRegion (an extra region restriction, e.g. an API client's), the
 * filters of each list, cursor (opaque, from the previous page's nextCursor), limit (1–100,
 * default 20), withTotal, today (YYYY-MM-DD, for tests). listPublicExperts also takes `fields`
 * (the public expert fields); without it, the deployment's setting `directory.expertFields`.
 * Items carry only public fields; an expert field that is not public is absent from the object.
 */
import { sql, type Expression, type SqlBool } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { containsText } from '#app/lib/like.server.ts'
import { rowsBeyond } from '#app/lib/keyset.server.ts'
import { type CursorValue, cursorOf, encodeCursor } from '#app/lib/opaque-cursor.ts'
import { inRegionSubtree } from '#app/lib/list-scope.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import type { ExpertTier, OrgKind } from '#db/schema.ts'
import { clampLimit, type ExpertPublicFields, PUBLIC_ORG_KINDS, type PublicOrgKind, publishableOfficePhone, searchTerms } from './model.ts'
import { readExpertPublicFields } from './settings.server.ts'

export interface PublicPage<T> {
  items: T[]
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null
  /** The number of matching records, when `withTotal` was asked for. */
  total?: number
}

interface CommonOptions {
  /** Search text: words separated by spaces, each must match (name, and the list's other public text). */
  q?: string
  /** Region code: the region and everything below it. */
  region?: string | null
  /** A second region restriction applied on top of `region` (an API client's region). */
  scopeRegion?: string | null
  cursor?: string | null
  limit?: number
  withTotal?: boolean
  /** Today in China (YYYY-MM-DD); defaults to the real date. */
  today?: string
}

export interface DisputeTypeRef {
  code: string
  nameZh: string
  nameEn: string
}

// --- Region helpers -----------------------------------------------------------------------------

/** Region paths for the options' region codes; null when a code is unknown (the list is then empty). */
async function regionPaths(db: Executor, options: CommonOptions): Promise<string[] | null> {
  const codes = [options.region, options.scopeRegion].filter((c): c is string => !!c)
  if (!codes.length) return []
  const rows = await db.selectFrom('regions').select(['code', 'path']).where('code', 'in', codes).execute()
  const byCode = new Map(rows.map((r) => [r.code, r.path]))
  const paths = codes.map((c) => byCode.get(c))
  return paths.every((p): p is string => !!p) ? paths : null
}

function emptyPage<T>(withTotal: boolean | undefined): PublicPage<T> {
  return withTotal ? { items: [], nextCursor: null, total: 0 } : { items: [], nextCursor: null }
}

function anyOf(parts: Expression<SqlBool>[]): Expression<SqlBool> {
  return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`
}

/**
 * One keyset page of a list: one row beyond the limit says another page follows (its cursor is
 * the key of the last row shown), and the total is counted on the same filters only when asked for.
 */
async function fetchPage<Row>(
  options: Pick<CommonOptions, 'limit' | 'withTotal'>,
  rows: (limit: number) => Promise<Row[]>,
  count: () => Promise<{ n: string | number | bigint }>,
  keyOf: (row: Row) => CursorValue[],
): Promise<{ shown: Row[]; nextCursor: string | null; total?: number }> {
  const limit = clampLimit(options.limit)
  const [fetched, counted] = await Promise.all([rows(limit + 1), options.withTotal ? count() : null])
  const shown = fetched.slice(0, limit)
  const last = shown.at(-1)
  return {
    shown,
    nextCursor: fetched.length > limit && last ? encodeCursor(keyOf(last)) : null,
    ...(counted ? { total: Number(counted.n) } : {}),
  }
}

// --- Organisations ------------------------------------------------------------------------------

export interface OrganisationListOptions extends CommonOptions {
  kind?: PublicOrgKind | null
  /** Sector committees of this sector (a dispute-type code). */
  sector?: string | null
  /** Organisations that take this dispute type (their sector, or the types they list). */
  disputeType?: string | null
}

export interface PublicOrganisation {
  id: string
  name: string
  kind: OrgKind
  sector: DisputeTypeRef | null
  regionCode: string
  regionName: string
  address: string | null
  /** The office line; a mobile number is never published (model.ts publishableOfficePhone). */
  officePhone: string | null
  services: string | null
  openingHours: string | null
  disputeTypes: DisputeTypeRef[]
}

/** What the directory shows of an organisation (the list and the single record alike). */
const PUBLIC_ORGANISATION_COLUMNS = [
  'o.id',
  'o.name',
  'o.kind',
  'o.sector_code',
  's.name_zh as sector_zh',
  's.name_en as sector_en',
  'o.region_code',
  'r.name as region_name',
  'o.address',
  'o.contact_phone',
  'o.services',
  'o.opening_hours',
] as const

/** Active mediation organisations (committees, studios, associations), by name. */
export async function listPublicOrganisations(
  db: Executor,
  options: OrganisationListOptions = {},
): Promise<PublicPage<PublicOrganisation>> {
  const paths = await regionPaths(db, options)
  if (!paths) return emptyPage(options.withTotal)
  let base = db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .where('o.status', '=', 'active')
    .where('o.kind', 'in', PUBLIC_ORG_KINDS)
  for (const path of paths) base = base.where(inRegionSubtree('o.region_code', path))
  if (options.kind) base = base.where('o.kind', '=', options.kind)
  if (options.sector) base = base.where('o.sector_code', '=', options.sector)
  if (options.disputeType) {
    const type = options.disputeType
    base = base.where((eb) =>
      eb.or([
        eb('o.sector_code', '=', type),
        eb.exists(
          eb
            .selectFrom('organisation_dispute_types as odt')
            .select('odt.org_id')
            .whereRef('odt.org_id', '=', 'o.id')
            .where('odt.dispute_type_code', '=', type),
        ),
      ]),
    )
  }
  for (const term of searchTerms(options.q ?? '')) {
    base = base.where(
      anyOf([
        containsText('o.name', term),
        containsText('o.address', term),
        containsText('o.services', term),
        containsText('r.name', term),
        // The kinds of dispute it takes: `物业` finds the committees that handle property disputes.
        sql<SqlBool>`exists (select 1 from organisation_dispute_types as odt_q inner join dispute_types as d_q on d_q.code = odt_q.dispute_type_code where odt_q.org_id = o.id and ${containsText('d_q.name_zh', term)})`,
      ]),
    )
  }
  const after = cursorOf(options.cursor, ['string', 'string'] as const)
  const page = after ? base.where(rowsBeyond(['o.name', 'o.id'], after)) : base
  const { shown, ...paging } = await fetchPage(
    options,
    (limit) =>
      page
        .leftJoin('dispute_types as s', 's.code', 'o.sector_code')
        .select(PUBLIC_ORGANISATION_COLUMNS)
        .orderBy('o.name')
        .orderBy('o.id')
        .limit(limit)
        .execute(),
    () => base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    (r) => [r.name, r.id],
  )
  const types = await organisationDisputeTypes(
    db,
    shown.map((r) => r.id),
  )
  const items = shown.map(
    (r): PublicOrganisation => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      sector: r.sector_code ? { code: r.sector_code, nameZh: r.sector_zh ?? r.sector_code, nameEn: r.sector_en ?? r.sector_code } : null,
      regionCode: r.region_code,
      regionName: r.region_name,
      address: r.address,
      officePhone: publishableOfficePhone(r.contact_phone),
      services: r.services,
      openingHours: r.opening_hours,
      disputeTypes: types.get(r.id) ?? [],
    }),
  )
  return { items, ...paging }
}

/** One organisation's public record; null unless it is listed in the directory. */
export async function getPublicOrganisation(db: Executor, id: string): Promise<PublicOrganisation | null> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .leftJoin('dispute_types as s', 's.code', 'o.sector_code')
    .select(PUBLIC_ORGANISATION_COLUMNS)
    .where('o.id', '=', id)
    .where('o.status', '=', 'active')
    .where('o.kind', 'in', PUBLIC_ORG_KINDS)
    .executeTakeFirst()
  if (!row) return null
  const types = await organisationDisputeTypes(db, [row.id])
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    sector: row.sector_code
      ? { code: row.sector_code, nameZh: row.sector_zh ?? row.sector_code, nameEn: row.sector_en ?? row.sector_code }
      : null,
    regionCode: row.region_code,
    regionName: row.region_name,
    address: row.address,
    officePhone: publishableOfficePhone(row.contact_phone),
    services: row.services,
    openingHours: row.opening_hours,
    disputeTypes: types.get(row.id) ?? [],
  }
}

async function organisationDisputeTypes(db: Executor, orgIds: string[]): Promise<Map<string, DisputeTypeRef[]>> {
  const map = new Map<string, DisputeTypeRef[]>()
  if (!orgIds.length) return map
  const rows = await db
    .selectFrom('organisation_dispute_types as odt')
    .innerJoin('dispute_types as d', 'd.code', 'odt.dispute_type_code')
    .select(['odt.org_id', 'd.code', 'd.name_zh', 'd.name_en'])
    .where('odt.org_id', 'in', orgIds)
    .orderBy('d.sort')
    .orderBy('d.code')
    .execute()
  for (const r of rows) {
    const list = map.get(r.org_id) ?? []
    list.push({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })
    map.set(r.org_id, list)
  }
  return map
}

// --- Graded mediators ---------------------------------------------------------------------------

export interface MediatorListOptions extends CommonOptions {}

export interface PublicMediator {
  /** The grade record (mediator_grades.id): public through its 公示, unlike the person's id. */
  id: string
  name: string
  gradeName: string
  gradeRank: number
  /** The association that awarded the grade. */
  associationName: string
  /** Null when the mediator hides it. */
  orgName: string | null
  /** Null when the mediator hides it. */
  validUntil: string | null
}

const hidesOrg = sql<number>`coalesce(pref.hide_org, 0)`

/** What the directory reads of a mediator's grade (the list and the account page's preview alike). */
const PUBLIC_MEDIATOR_COLUMNS = [
  'g.id',
  'p.name',
  'g.grade_name',
  'g.grade_rank',
  'a.name as association_name',
  'o.name as org_name',
  'g.valid_until',
  'pref.hide_org',
  'pref.hide_valid_until',
] as const

/**
 * Current grades a finished 公示 made public and still valid on `today`, with the person, their
 * organisation, the awarding association and the person's directory preferences joined.
 */
function publicGrades(db: Executor, today: string) {
  return db
    .selectFrom('mediator_grades as g')
    .innerJoin('people as p', 'p.id', 'g.person_id')
    .innerJoin('mediators as m', 'm.person_id', 'g.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .innerJoin('organisations as a', 'a.id', 'g.association_org_id')
    .leftJoin('directory_mediator_preferences as pref', 'pref.person_id', 'g.person_id')
    .where('g.status', '=', 'current')
    .where('g.valid_from', '<=', today)
    .where('g.valid_until', '>=', today)
    .where('m.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('g.source', '=', 'round'),
          eb.exists(
            eb.selectFrom('grading_rounds as gr').select('gr.id').whereRef('gr.id', '=', 'g.round_id').where('gr.status', '=', 'finalised'),
          ),
        ]),
        eb.and([
          eb('g.source', '=', 'demotion'),
          eb.exists(
            eb
              .selectFrom('mediator_grades as d')
              .select('d.id')
              .whereRef('d.person_id', '=', 'g.person_id')
              .whereRef('d.changed_at', '=', 'g.changed_at')
              .where('d.status', '=', 'demoted')
              .where('d.notice_end_on', '<', today),
          ),
        ]),
      ]),
    )
}

/** How the directory shows one person today (their own account page previews it), or null when they are not listed. */
export async function publicMediatorEntry(db: Executor, personId: string, today = todayInChina()): Promise<PublicMediator | null> {
  const row = await publicGrades(db, today).select(PUBLIC_MEDIATOR_COLUMNS).where('g.person_id', '=', personId).executeTakeFirst()
  return row ? toPublicMediator(row) : null
}

function toPublicMediator(r: {
  id: string
  name: string
  grade_name: string
  grade_rank: number
  association_name: string
  org_name: string
  valid_until: string
  hide_org: number | null
  hide_valid_until: number | null
}): PublicMediator {
  return {
    id: r.id,
    name: r.name,
    gradeName: r.grade_name,
    gradeRank: Number(r.grade_rank),
    associationName: r.association_name,
    orgName: Number(r.hide_org ?? 0) === 1 ? null : r.org_name,
    validUntil: Number(r.hide_valid_until ?? 0) === 1 ? null : r.valid_until,
  }
}

/**
 * Grades a finished 公示 made public and still valid today: awarded by a finalised round, or the
 * lower grade of a demotion whose own notice period has ended. Ungraded mediators, grades of rounds
 * still in notice, imported, expired, superseded, demoted and revoked grades never appear, nor do
 * mediators who left (inactive). By grade (highest first), then name.
 *
 * A mediator who hides their organisation is found by the region of the awarding association
 * instead of their organisation's, so the region filter cannot reveal what they hid.
 */
export async function listPublicMediators(db: Executor, options: MediatorListOptions = {}): Promise<PublicPage<PublicMediator>> {
  const paths = await regionPaths(db, options)
  if (!paths) return emptyPage(options.withTotal)
  let base = publicGrades(db, options.today ?? todayInChina())
  for (const path of paths) {
    base = base.where(
      sql<SqlBool>`((${hidesOrg} = 0 and ${inRegionSubtree('o.region_code', path)}) or (${hidesOrg} = 1 and ${inRegionSubtree('a.region_code', path)}))`,
    )
  }
  for (const term of searchTerms(options.q ?? '')) {
    base = base.where(
      anyOf([
        containsText('p.name', term),
        containsText('g.grade_name', term),
        containsText('a.name', term),
        sql<SqlBool>`(${hidesOrg} = 0 and ${containsText('o.name', term)})`,
      ]),
    )
  }
  const after = cursorOf(options.cursor, ['number', 'string', 'string'] as const)
  const page = after ? base.where(rowsBeyond(['g.grade_rank', 'p.name', 'g.id'], after)) : base
  const { shown, ...paging } = await fetchPage(
    options,
    (limit) => page.select(PUBLIC_MEDIATOR_COLUMNS).orderBy('g.grade_rank').orderBy('p.name').orderBy('g.id').limit(limit).execute(),
    () => base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    (r) => [Number(r.grade_rank), r.name, r.id],
  )
  return { items: shown.map(toPublicMediator), ...paging }
}

// --- Experts ------------------------------------------------------------------------------------

export interface ExpertListOptions extends CommonOptions {
  /** Applied only when tiers are public. */
  tier?: ExpertTier | null
  /** Experts with this domain; applied only when domains are public. */
  disputeType?: string | null
  /** The public fields; defaults to the deployment's setting. */
  fields?: ExpertPublicFields
}

export interface PublicExpertDomain extends DisputeTypeRef {
  role: 'primary' | 'secondary' | 'specialty'
}

/** An expert's public face: `name` always; the rest only when the deployment publishes it. */
export interface PublicExpert {
  id: string
  name: string
  tier?: ExpertTier
  domains?: PublicExpertDomain[]
  employer?: string
  title?: string | null
  /** The region of the appointing body. */
  regionName?: string | null
}

/**
 * Experts in office today (active, within their term), by name. When the deployment does not
 * publish names, the section is closed: no items, `closed: true`. The region filter reads the
 * appointing body's region (institutional, not the expert's home); tier and dispute-type filters
 * and search on employer, title or domains apply only to fields that are public.
 */
export async function listPublicExperts(
  db: Executor,
  options: ExpertListOptions = {},
): Promise<PublicPage<PublicExpert> & { closed: boolean; fields: ExpertPublicFields }> {
  const fields = options.fields ?? (await readExpertPublicFields(db))
  if (!fields.has('name')) return { ...emptyPage<PublicExpert>(options.withTotal), closed: true, fields }
  const paths = await regionPaths(db, options)
  if (!paths) return { ...emptyPage<PublicExpert>(options.withTotal), closed: false, fields }
  const today = options.today ?? todayInChina()
  let base = db
    .selectFrom('experts as e')
    .leftJoin('regions as r', 'r.code', 'e.region_code')
    .where('e.status', '=', 'active')
    .where('e.term_start', '<=', today)
    .where('e.term_end', '>=', today)
  for (const path of paths) base = base.where(inRegionSubtree('e.region_code', path))
  if (options.tier && fields.has('tier')) base = base.where('e.tier', '=', options.tier)
  if (options.disputeType && fields.has('domains')) {
    const type = options.disputeType
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('expert_domains as ed')
          .select('ed.expert_id')
          .whereRef('ed.expert_id', '=', 'e.person_id')
          .where('ed.dispute_type_code', '=', type),
      ),
    )
  }
  for (const term of searchTerms(options.q ?? '')) {
    const parts = [containsText('e.name', term)]
    if (fields.has('employer')) parts.push(containsText('e.employer', term))
    if (fields.has('title')) parts.push(containsText('e.title', term))
    if (fields.has('domains')) {
      parts.push(
        sql<SqlBool>`exists (select 1 from expert_domains as ed_q inner join dispute_types as d_q on d_q.code = ed_q.dispute_type_code where ed_q.expert_id = e.person_id and ${containsText('d_q.name_zh', term)})`,
      )
    }
    base = base.where(anyOf(parts))
  }
  const after = cursorOf(options.cursor, ['string', 'string'] as const)
  const page = after ? base.where(rowsBeyond(['e.name', 'e.person_id'], after)) : base
  const { shown, ...paging } = await fetchPage(
    options,
    (limit) =>
      page
        .select(['e.person_id', 'e.name', 'e.tier', 'e.employer', 'e.title', 'r.name as region_name'])
        .orderBy('e.name')
        .orderBy('e.person_id')
        .limit(limit)
        .execute(),
    () => base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    (r) => [r.name, r.person_id],
  )
  const domains = fields.has('domains')
    ? await expertDomains(
        db,
        shown.map((r) => r.person_id),
      )
    : new Map<string, PublicExpertDomain[]>()
  const items = shown.map((r): PublicExpert => {
    const item: PublicExpert = { id: r.person_id, name: r.name }
    if (fields.has('tier')) item.tier = r.tier
    if (fields.has('domains')) item.domains = domains.get(r.person_id) ?? []
    if (fields.has('employer')) item.employer = r.employer
    if (fields.has('title')) item.title = r.title
    if (fields.has('region')) item.regionName = r.region_name
    return item
  })
  return { items, ...paging, closed: false, fields }
}

const DOMAIN_ORDER = { primary: 0, secondary: 1, specialty: 2 } as const

async function expertDomains(db: Executor, expertIds: string[]): Promise<Map<string, PublicExpertDomain[]>> {
  const map = new Map<string, PublicExpertDomain[]>()
  if (!expertIds.length) return map
  const rows = await db
    .selectFrom('expert_domains as ed')
    .innerJoin('dispute_types as d', 'd.code', 'ed.dispute_type_code')
    .select(['ed.expert_id', 'ed.role', 'd.code', 'd.name_zh', 'd.name_en', 'd.sort'])
    .where('ed.expert_id', 'in', expertIds)
    .execute()
  rows.sort((a, b) => DOMAIN_ORDER[a.role] - DOMAIN_ORDER[b.role] || a.sort - b.sort || (a.code < b.code ? -1 : 1))
  for (const r of rows) {
    const list = map.get(r.expert_id) ?? []
    list.push({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, role: r.role })
    map.set(r.expert_id, list)
  }
  return map
}

// --- Filter options -----------------------------------------------------------------------------

export interface DirectoryOptions {
  regions: { code: string; name: string; depth: number }[]
  disputeTypes: DisputeTypeRef[]
  sectors: DisputeTypeRef[]
}

/** What the public filters offer: regions down to districts, active dispute types, and the sectors in use. */
export async function directoryFilterOptions(db: Executor): Promise<DirectoryOptions> {
  const [regions, types, sectors] = await Promise.all([
    db
      .selectFrom('regions')
      .select(['code', 'name', 'path'])
      .where('level', 'in', ['province', 'city', 'district'])
      .orderBy('path')
      .execute(),
    db.selectFrom('dispute_types').select(['code', 'name_zh', 'name_en']).where('active', '=', 1).orderBy('sort').orderBy('code').execute(),
    db
      .selectFrom('dispute_types as d')
      .select(['d.code', 'd.name_zh', 'd.name_en'])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('organisations as o')
            .select('o.id')
            .whereRef('o.sector_code', '=', 'd.code')
            .where('o.kind', '=', 'committee_sector')
            .where('o.status', '=', 'active'),
        ),
      )
      .orderBy('d.sort')
      .orderBy('d.code')
      .execute(),
  ])
  const top = Math.min(...regions.map((r) => r.path.split('/').length))
  return {
    regions: regions.map((r) => ({ code: r.code, name: r.name, depth: r.path.split('/').length - top })),
    disputeTypes: types.map((t) => ({ code: t.code, nameZh: t.name_zh, nameEn: t.name_en })),
    sectors: sectors.map((t) => ({ code: t.code, nameZh: t.name_zh, nameEn: t.name_en })),
  }
}
