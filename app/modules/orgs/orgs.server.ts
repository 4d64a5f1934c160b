/**
 * Organisations: scoped lists, detail, and audited create/update with optimistic concurrency.
 * Callers check permissions first (authz.server.ts); these functions apply the list scope they
 * are given and re-check every region or organisation chosen in a form against the user's scope.
 */
import { sql } from 'kysely'
import { audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { containsText } from '#app/lib/like.server.ts'
import { inRegionSubtree, scopeCondition } from '#app/lib/list-scope.server.ts'
import { type AuditContext, changes } from '#app/modules/audit/changes.ts'
import { allows, type ListScope, type Principal } from '#app/modules/auth/policy.ts'
import { regionPathOf, regionsInScope, type RegionOption } from '#app/modules/regions/regions.server.ts'
import type { OrgKind } from '#db/schema.ts'
import type { OrgFilters } from './filters.ts'
import { SUPERVISING_KINDS, type OrgStatus } from './labels.ts'
import type { OrgCreateInput, OrgEditInput } from './schemas.ts'

export interface OrgRow {
  id: string
  name: string
  kind: OrgKind
  sectorCode: string | null
  regionCode: string
  regionName: string
  status: OrgStatus
  updatedAt: string
}

/** The organisations of a scope that pass the list's filters (the list and its export read these). */
export async function orgListBase(db: Executor, scope: ListScope, filters: Pick<OrgFilters, 'region' | 'kind' | 'status' | 'q'>) {
  const regionPath = filters.region ? await regionPathOf(db, filters.region) : null
  let base = db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .where(scopeCondition(scope, { region: 'o.region_code', org: 'o.id' }))
  if (filters.region) base = base.where(regionPath ? inRegionSubtree('o.region_code', regionPath) : sql<boolean>`1 = 0`)
  if (filters.kind) base = base.where('o.kind', '=', filters.kind)
  if (filters.status) base = base.where('o.status', '=', filters.status)
  if (filters.q) base = base.where(containsText('o.name', filters.q))
  return base
}

/** The column each sort of the list orders by (none is null, so the export can read it by keyset). */
export const ORG_SORT_COLUMN = {
  name: 'o.name',
  kind: 'o.kind',
  region: 'r.path',
  status: 'o.status',
  updated: 'o.updated_at',
} as const satisfies Record<OrgFilters['sort'], string>

export async function listOrgs(db: Executor, scope: ListScope, filters: OrgFilters): Promise<{ rows: OrgRow[]; total: number }> {
  const base = await orgListBase(db, scope, filters)
  const [rows, count] = await Promise.all([
    base
      .select(['o.id', 'o.name', 'o.kind', 'o.sector_code', 'o.region_code', 'r.name as region_name', 'o.status', 'o.updated_at'])
      .orderBy(ORG_SORT_COLUMN[filters.sort], filters.dir)
      .orderBy('o.id', filters.dir)
      .limit(filters.pageSize)
      .offset((filters.page - 1) * filters.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      sectorCode: r.sector_code,
      regionCode: r.region_code,
      regionName: r.region_name,
      status: r.status,
      updatedAt: r.updated_at,
    })),
  }
}

export interface OrgDetail extends OrgRow {
  regionPath: string
  sectorNameZh: string | null
  sectorNameEn: string | null
  parentId: string | null
  parentName: string | null
  address: string | null
  contactPhone: string | null
  version: number
  createdAt: string
  mediatorCount: number
  activeMediatorCount: number
}

export async function getOrg(db: Executor, id: string): Promise<OrgDetail | null> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .leftJoin('organisations as parent', 'parent.id', 'o.parent_id')
    .leftJoin('dispute_types as d', 'd.code', 'o.sector_code')
    .select([
      'o.id',
      'o.name',
      'o.kind',
      'o.sector_code',
      'o.region_code',
      'r.name as region_name',
      'r.path as region_path',
      'o.status',
      'o.updated_at',
      'o.created_at',
      'o.parent_id',
      'parent.name as parent_name',
      'd.name_zh as sector_name_zh',
      'd.name_en as sector_name_en',
      'o.address',
      'o.contact_phone',
      'o.version',
    ])
    .where('o.id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  const counts = await db
    .selectFrom('mediators')
    .select((eb) => [eb.fn.countAll().as('total'), eb.fn.sum(eb.case().when('status', '=', 'active').then(1).else(0).end()).as('active')])
    .where('org_id', '=', id)
    .executeTakeFirstOrThrow()
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    sectorCode: row.sector_code,
    regionCode: row.region_code,
    regionName: row.region_name,
    regionPath: row.region_path,
    status: row.status,
    updatedAt: row.updated_at,
    createdAt: row.created_at,
    parentId: row.parent_id,
    parentName: row.parent_name,
    sectorNameZh: row.sector_name_zh,
    sectorNameEn: row.sector_name_en,
    address: row.address,
    contactPhone: row.contact_phone,
    version: row.version,
    mediatorCount: Number(counts.total),
    activeMediatorCount: Number(counts.active ?? 0),
  }
}

export interface Option {
  value: string
  label: string
}

export interface OrgFormOptions {
  regions: RegionOption[]
  sectors: { code: string; nameZh: string; nameEn: string }[]
  parents: Option[]
}

/** The organisation being edited: itself, and the supervising body it has now. */
export interface EditedOrg {
  id: string
  parentId: string | null
  parentName: string | null
}

/**
 * What the form's selects offer: regions the user may edit in, sectors, and supervising bodies they
 * can see. On edit the current supervising body stays on offer even when it lies above the user's
 * scope (a district bureau supervised by the city's), so saving never drops it silently.
 */
export async function orgFormOptions(
  db: Executor,
  editScope: ListScope,
  viewScope: ListScope,
  edited?: EditedOrg,
): Promise<OrgFormOptions> {
  const selfId = edited?.id
  const [regions, sectors, parents] = await Promise.all([
    regionsInScope(db, editScope),
    db.selectFrom('dispute_types').select(['code', 'name_zh', 'name_en']).where('active', '=', 1).orderBy('sort').orderBy('code').execute(),
    db
      .selectFrom('organisations as o')
      .select(['o.id', 'o.name'])
      .where('o.kind', 'in', SUPERVISING_KINDS)
      .where('o.status', '=', 'active')
      .where(scopeCondition(viewScope, { region: 'o.region_code', org: 'o.id' }))
      .$if(!!selfId, (q) => q.where('o.id', '!=', selfId!))
      .orderBy('o.name')
      .limit(1000)
      .execute(),
  ])
  const options = parents.map((p) => ({ value: p.id, label: p.name }))
  if (edited?.parentId && edited.parentName && !options.some((o) => o.value === edited.parentId)) {
    options.unshift({ value: edited.parentId, label: edited.parentName })
  }
  return {
    regions,
    sectors: sectors.map((s) => ({ code: s.code, nameZh: s.name_zh, nameEn: s.name_en })),
    parents: options,
  }
}

export type FieldErrors = Record<string, string[]>

/**
 * Server-side checks of the form's references: the region must lie in the user's edit scope (the
 * select only offers those, but the form can be tampered with), the sector must exist, and the
 * supervising body must be a visible bureau, office or association (or the one it has already) that
 * is not this organisation or one below it.
 */
export async function checkOrgReferences(
  db: Executor,
  user: Principal,
  input: OrgCreateInput,
  edited?: Pick<EditedOrg, 'id' | 'parentId'>,
): Promise<{ errors: FieldErrors; regionOutOfScope: boolean }> {
  const selfId = edited?.id
  const errors: FieldErrors = {}
  const regionPath = await regionPathOf(db, input.regionCode)
  const regionOutOfScope = !regionPath || !allows(user, 'org:edit', { regionPath })
  if (regionOutOfScope) errors.regionCode = ['orgs.error.regionOutOfScope']
  if (input.kind === 'committee_sector' && input.sectorCode) {
    const sector = await db.selectFrom('dispute_types').select('code').where('code', '=', input.sectorCode).executeTakeFirst()
    if (!sector) errors.sectorCode = ['validation.choice']
  }
  if (input.parentId) {
    const parent = await db
      .selectFrom('organisations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select(['o.id', 'o.kind', 'r.path'])
      .where('o.id', '=', input.parentId)
      .executeTakeFirst()
    const kept = !!parent && parent.id === edited?.parentId
    const visible = parent && (kept || allows(user, 'org:view', { regionPath: parent.path, orgId: parent.id }))
    const supervising = parent && SUPERVISING_KINDS.includes(parent.kind)
    const cycle = parent && selfId ? await isSelfOrBelow(db, parent.id, selfId) : false
    if (!visible || !supervising || cycle) errors.parentId = ['orgs.error.parentInvalid']
  }
  return { errors, regionOutOfScope }
}

/** True when `candidate` is `selfId` or lies below it in the supervision tree. */
async function isSelfOrBelow(db: Executor, candidate: string, selfId: string): Promise<boolean> {
  let current: string | null = candidate
  for (let depth = 0; current && depth < 32; depth++) {
    if (current === selfId) return true
    const row: { parent_id: string | null } | undefined = await db
      .selectFrom('organisations')
      .select('parent_id')
      .where('id', '=', current)
      .executeTakeFirst()
    current = row?.parent_id ?? null
  }
  return false
}

function orgValues(input: OrgCreateInput) {
  return {
    name: input.name,
    kind: input.kind,
    // Only sector committees carry a sector.
    sector_code: input.kind === 'committee_sector' ? (input.sectorCode ?? null) : null,
    region_code: input.regionCode,
    parent_id: input.parentId ?? null,
    address: input.address || null,
    contact_phone: input.contactPhone || null,
  }
}

export async function createOrg(db: DB, ctx: AuditContext, input: OrgCreateInput): Promise<string> {
  const id = newId()
  const now = new Date().toISOString()
  const values = { ...orgValues(input), status: 'active' as const }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('organisations')
      .values({ id, ...values, version: 1, created_at: now, updated_at: now })
      .execute()
    await audit(trx, ctx.request, ctx.actor, { action: 'org.create', recordType: 'organisation', recordId: id, detail: { after: values } })
  })
  return id
}

/**
 * Saves an edit made on version `input.version`. 'stale' when someone saved in between: nothing is
 * written. A region change moves the organisation's people with it, in the same transaction.
 */
export async function updateOrg(db: DB, ctx: AuditContext, id: string, input: OrgEditInput): Promise<'ok' | 'stale'> {
  const values = { ...orgValues(input), status: input.status }
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('organisations')
      .select(['name', 'kind', 'sector_code', 'region_code', 'parent_id', 'address', 'contact_phone', 'status'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!before) return 'stale'
    const now = new Date().toISOString()
    const result = await trx
      .updateTable('organisations')
      .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) return 'stale'
    if (before.region_code !== values.region_code) {
      await trx.updateTable('people').set({ region_code: values.region_code, updated_at: now }).where('org_id', '=', id).execute()
    }
    await audit(trx, ctx.request, ctx.actor, {
      action: 'org.update',
      recordType: 'organisation',
      recordId: id,
      detail: changes(before, values),
    })
    return 'ok'
  })
}
