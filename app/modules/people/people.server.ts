/**
 * People and their mediator records: scoped lists, profiles, audited create/update, and the
 * audited reveal of a full personal number. Personal numbers are sealed here (encrypted, keyed
 * hash, masked) and leave this module only masked, except through `revealNumber`.
 */
import { sql } from 'kysely'
import { audit } from '#app/lib/audit.server.ts'
import { decrypt, lookupHash, sealPersonalNumber } from '#app/lib/crypto.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { containsText } from '#app/lib/like.server.ts'
import { inRegionSubtree, scopeCondition } from '#app/lib/list-scope.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { type AuditContext, changes } from '#app/modules/audit/changes.ts'
import { allows, type ListScope, type Principal, type RecordScope } from '#app/modules/auth/policy.ts'
import { regionPathOf } from '#app/modules/regions/regions.server.ts'
import type { Gender } from '#db/schema.ts'
import type { PeopleFilters } from './filters.ts'
import { ageFrom, fillFromIdNumber } from './identity.ts'
import type { Employment, MediatorStatus } from './labels.ts'
import type { PersonCreateInput, PersonEditInput, RevealField } from './schemas.ts'

export interface MediatorRow {
  id: string
  name: string
  gender: Gender | null
  age: number | null
  orgId: string
  orgName: string
  regionName: string
  employment: Employment
  cardNumber: string | null
  phoneMasked: string | null
  status: MediatorStatus
}

/**
 * The mediators a scope reaches that match the list's filters (no paging, no sort): the list
 * below and the register export (app/modules/jobs) read through the same conditions.
 */
export async function mediatorListBase(db: Executor, scope: ListScope, filters: Omit<PeopleFilters, 'page' | 'pageSize' | 'sort' | 'dir'>) {
  const regionPath = filters.region ? await regionPathOf(db, filters.region) : null
  let base = db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .where(scopeCondition(scope, { region: 'p.region_code', org: 'm.org_id', person: 'p.id' }))
  if (filters.region) base = base.where(regionPath ? inRegionSubtree('p.region_code', regionPath) : sql<boolean>`1 = 0`)
  if (filters.org) base = base.where('m.org_id', '=', filters.org)
  if (filters.employment) base = base.where('m.employment', '=', filters.employment)
  if (filters.status) base = base.where('m.status', '=', filters.status)
  if (filters.q) {
    const q = filters.q
    base = base.where((eb) => eb.or([containsText('p.name', q), containsText('m.card_number', q.toUpperCase())]))
  }
  return base
}

export async function listMediators(
  db: Executor,
  scope: ListScope,
  filters: PeopleFilters,
): Promise<{ rows: MediatorRow[]; total: number }> {
  const base = await mediatorListBase(db, scope, filters)
  const sortColumn = {
    name: 'p.name',
    age: 'p.birth_date',
    org: 'o.name',
    region: 'r.path',
    employment: 'm.employment',
    card: 'm.card_number',
  } as const satisfies Record<PeopleFilters['sort'], string>
  // Older people have earlier birth dates: ascending age is descending birth date.
  const dir = filters.sort === 'age' ? (filters.dir === 'asc' ? 'desc' : 'asc') : filters.dir
  // One pass over the filtered scope finds the page's ids and, with a window count, the total;
  // the page's columns are then read for those ids alone. Sorting every joined row of a district
  // (some 2,500 mediators) and counting them again in a second pass cost ~100 ms of database
  // time per page (docs/decisions/031-load-test-findings.md).
  const page = await base
    .select((eb) => ['p.id', eb.fn.countAll().over().as('total')])
    .orderBy(sortColumn[filters.sort], dir)
    .orderBy('p.id', dir)
    .limit(filters.pageSize)
    .offset((filters.page - 1) * filters.pageSize)
    .execute()
  // Past the last page no row carries the window count: count on its own.
  const total = page.length
    ? Number(page[0]!.total)
    : filters.page > 1
      ? Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      : 0
  const ids = page.map((r) => r.id)
  const details = page.length
    ? await db
        .selectFrom('mediators as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .innerJoin('organisations as o', 'o.id', 'm.org_id')
        .innerJoin('regions as r', 'r.code', 'p.region_code')
        .select([
          'p.id',
          'p.name',
          'p.gender',
          'p.birth_date',
          'p.phone_masked',
          'o.id as org_id',
          'o.name as org_name',
          'r.name as region_name',
          'm.employment',
          'm.card_number',
          'm.status',
        ])
        .where('p.id', 'in', ids)
        .execute()
    : []
  const byId = new Map(details.map((r) => [r.id, r]))
  // In the page's order; a record deleted between the two reads is left out.
  const rows = page.flatMap((r) => byId.get(r.id) ?? [])
  const today = todayInChina()
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      gender: r.gender,
      age: ageFrom(r.birth_date, today),
      orgId: r.org_id,
      orgName: r.org_name,
      regionName: r.region_name,
      employment: r.employment,
      cardNumber: r.card_number,
      phoneMasked: r.phone_masked,
      status: r.status,
    })),
  }
}

export interface OrgChoice {
  id: string
  name: string
  regionCode: string
  regionPath: string
}

/** Active organisations within a scope, for the organisation selects (filters and forms). */
export async function orgChoices(db: Executor, scope: ListScope, limit = 1000): Promise<OrgChoice[]> {
  const rows = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['o.id', 'o.name', 'o.region_code', 'r.path'])
    .where('o.status', '=', 'active')
    .where(scopeCondition(scope, { region: 'o.region_code', org: 'o.id' }))
    .orderBy('r.path')
    .orderBy('o.name')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, regionCode: r.region_code, regionPath: r.path }))
}

/** The mediator list offers its organisation filter as a select only up to this many organisations. */
export const ORG_FILTER_LIMIT = 100

export interface OrgFilterChoices {
  options: { id: string; name: string }[]
  /** False when the scope (within the region filter) has more organisations than a select should carry. */
  complete: boolean
}

/**
 * The organisation filter of the mediator list: the scope's active organisations, within the
 * region filter when one is set. A district holds hundreds of committees, and shipping them all
 * made every list page some 100 KB heavier (docs/decisions/031-load-test-findings.md): past
 * ORG_FILTER_LIMIT only the organisation already chosen (if it is in scope) is offered, and the
 * page points to the organisation directory, whose pages link back to this list filtered.
 */
export async function orgFilterChoices(
  db: Executor,
  scope: ListScope,
  filters: { region: string | null; org: string | null },
): Promise<OrgFilterChoices> {
  const regionPath = filters.region ? await regionPathOf(db, filters.region) : null
  const inScope = db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['o.id', 'o.name', 'r.path'])
    .where('o.status', '=', 'active')
    .where(scopeCondition(scope, { region: 'o.region_code', org: 'o.id' }))
  // No ORDER BY: the database stops at the limit instead of sorting a district's hundreds first;
  // the few that are offered are sorted here (region tree order, then name).
  const found = await (filters.region
    ? inScope.where(regionPath ? inRegionSubtree('o.region_code', regionPath) : sql<boolean>`1 = 0`)
    : inScope
  )
    .limit(ORG_FILTER_LIMIT + 1)
    .execute()
  if (found.length <= ORG_FILTER_LIMIT) {
    found.sort((a, b) => compareText(a.path, b.path) || compareText(a.name, b.name) || compareText(a.id, b.id))
    return { options: found.map((o) => ({ id: o.id, name: o.name })), complete: true }
  }
  const chosen = filters.org ? await inScope.where('o.id', '=', filters.org).execute() : []
  return { options: chosen.map((o) => ({ id: o.id, name: o.name })), complete: false }
}

/** Code-unit order, as the databases' binary collations sort text of the Basic Multilingual Plane. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** An organisation a person could be registered with, with what a scope check needs. */
export async function orgForPerson(db: Executor, orgId: string): Promise<OrgChoice | null> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['o.id', 'o.name', 'o.region_code', 'r.path'])
    .where('o.id', '=', orgId)
    .where('o.status', '=', 'active')
    .executeTakeFirst()
  return row ? { id: row.id, name: row.name, regionCode: row.region_code, regionPath: row.path } : null
}

/** A person's profile as any page may see it: personal numbers masked only. */
export interface PersonProfile {
  id: string
  name: string
  gender: Gender | null
  birthDate: string | null
  age: number | null
  idNumberMasked: string | null
  phoneMasked: string | null
  regionCode: string
  regionName: string
  orgId: string | null
  orgName: string | null
  mediator: {
    employment: Employment
    cardNumber: string | null
    startedOn: string | null
    status: MediatorStatus
  } | null
  version: number
  updatedAt: string
}

export interface PersonRecord {
  profile: PersonProfile
  /** Where the person sits, for requireRecordAccess and may(). */
  scope: Required<Pick<RecordScope, 'regionPath' | 'personId'>> & { orgId: string | null }
}

export async function getPerson(db: Executor, id: string): Promise<PersonRecord | null> {
  const row = await db
    .selectFrom('people as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .leftJoin('organisations as o', (join) => join.on((eb) => eb('o.id', '=', eb.fn.coalesce('m.org_id', 'p.org_id'))))
    .select([
      'p.id',
      'p.name',
      'p.gender',
      'p.birth_date',
      'p.id_number_masked',
      'p.phone_masked',
      'p.region_code',
      'p.version',
      'p.updated_at',
      'r.name as region_name',
      'r.path as region_path',
      'o.id as org_id',
      'o.name as org_name',
      'm.person_id as mediator_id',
      'm.employment',
      'm.card_number',
      'm.started_on',
      'm.status',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  return {
    scope: { regionPath: row.region_path, orgId: row.org_id, personId: row.id },
    profile: {
      id: row.id,
      name: row.name,
      gender: row.gender,
      birthDate: row.birth_date,
      age: ageFrom(row.birth_date, todayInChina()),
      idNumberMasked: row.id_number_masked,
      phoneMasked: row.phone_masked,
      regionCode: row.region_code,
      regionName: row.region_name,
      orgId: row.org_id,
      orgName: row.org_name,
      mediator:
        row.mediator_id && row.employment && row.status
          ? { employment: row.employment, cardNumber: row.card_number, startedOn: row.started_on, status: row.status }
          : null,
      version: row.version,
      updatedAt: row.updated_at,
    },
  }
}

/** The person already registered with this ID number (found by its keyed hash), if any. */
export async function findByIdNumber(db: Executor, idNumber: string): Promise<{ id: string; name: string; scope: RecordScope } | null> {
  const row = await db
    .selectFrom('people as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .select(['p.id', 'p.name', 'r.path', 'p.org_id', 'm.org_id as mediator_org_id'])
    .where('p.id_number_hash', '=', lookupHash('id', idNumber))
    .executeTakeFirst()
  if (!row) return null
  return { id: row.id, name: row.name, scope: { regionPath: row.path, orgId: row.mediator_org_id ?? row.org_id, personId: row.id } }
}

/** The full number, decrypted for the audited reveal action only. Null when none is stored. */
export async function revealNumber(db: Executor, id: string, field: RevealField): Promise<string | null> {
  const row = await db.selectFrom('people').select(['id_number_enc', 'phone_enc']).where('id', '=', id).executeTakeFirst()
  const sealed = field === 'idNumber' ? row?.id_number_enc : row?.phone_enc
  return sealed ? decrypt(sealed) : null
}

export type WriteProblem = 'duplicateId' | 'duplicateCard'

const ID_HASH_KEY = ['people.id_number_hash', 'uq_people_id_number_hash']
const CARD_KEY = ['mediators.card_number', 'uq_mediators_card']

/** A unique-key violation as a form problem (a race past the pre-check, or a duplicate card). */
function writeProblem(error: unknown): WriteProblem | null {
  if (isUniqueViolation(error, ID_HASH_KEY)) return 'duplicateId'
  if (isUniqueViolation(error, CARD_KEY)) return 'duplicateCard'
  return null
}

/** What the audit log keeps of a person: masked numbers only. */
interface AuditedPerson extends Record<string, unknown> {
  name: string
  gender: Gender | null
  birth_date: string | null
  id_number_masked: string | null
  phone_masked: string | null
  org_id: string | null
  region_code: string
  employment: Employment | null
  card_number: string | null
  started_on: string | null
  status: MediatorStatus | null
}

/**
 * Registers a person and their mediator record in one transaction: either both rows and the
 * audit entry are written, or nothing is.
 */
export async function createMediator(
  db: DB,
  ctx: AuditContext,
  input: PersonCreateInput,
  org: OrgChoice,
): Promise<{ ok: true; id: string } | { ok: false; problem: WriteProblem }> {
  const id = newId()
  const now = new Date().toISOString()
  const identity = fillFromIdNumber(input.idNumber, { gender: input.gender, birthDate: input.birthDate })
  const idNumber = sealPersonalNumber('id', input.idNumber)
  const phone = input.phone ? sealPersonalNumber('phone', input.phone) : null
  const person = {
    name: input.name,
    gender: identity.gender ?? null,
    birth_date: identity.birthDate ?? null,
    org_id: org.id,
    region_code: org.regionCode,
  }
  const mediator = {
    employment: input.employment,
    card_number: input.cardNumber || null,
    started_on: input.startedOn ?? null,
    status: 'active' as const,
  }
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('people')
        .values({
          id,
          ...person,
          id_number_enc: idNumber.enc,
          id_number_hash: idNumber.hash,
          id_number_masked: idNumber.masked,
          phone_enc: phone?.enc ?? null,
          phone_hash: phone?.hash ?? null,
          phone_masked: phone?.masked ?? null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute()
      await trx
        .insertInto('mediators')
        .values({ person_id: id, org_id: org.id, ...mediator, version: 1, created_at: now, updated_at: now })
        .execute()
      const after: AuditedPerson = { ...person, id_number_masked: idNumber.masked, phone_masked: phone?.masked ?? null, ...mediator }
      await audit(trx, ctx.request, ctx.actor, { action: 'person.create', recordType: 'person', recordId: id, detail: { after } })
    })
  } catch (error) {
    const problem = writeProblem(error)
    if (problem) return { ok: false, problem }
    throw error
  }
  return { ok: true, id }
}

/**
 * Saves an edit made on version `input.version` of the person (the version guards the person and
 * mediator rows together). Blank ID and phone keep the stored numbers. 'stale' writes nothing.
 */
export async function updateMediator(
  db: DB,
  ctx: AuditContext,
  id: string,
  input: PersonEditInput,
  org: OrgChoice,
): Promise<'ok' | 'stale' | WriteProblem> {
  const now = new Date().toISOString()
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('people as p')
        .innerJoin('mediators as m', 'm.person_id', 'p.id')
        .select([
          'p.name',
          'p.gender',
          'p.birth_date',
          'p.id_number_masked',
          'p.phone_masked',
          'p.org_id',
          'p.region_code',
          'm.employment',
          'm.card_number',
          'm.started_on',
          'm.status',
        ])
        .where('p.id', '=', id)
        .executeTakeFirst()
      if (!current) return 'stale'
      const identity = fillFromIdNumber(input.idNumber, { gender: input.gender, birthDate: input.birthDate })
      const idNumber = input.idNumber ? sealPersonalNumber('id', input.idNumber) : null
      const phone = input.phone ? sealPersonalNumber('phone', input.phone) : null
      const person = {
        name: input.name,
        gender: identity.gender ?? null,
        birth_date: identity.birthDate ?? null,
        org_id: org.id,
        region_code: org.regionCode,
      }
      const sealed = {
        ...(idNumber ? { id_number_enc: idNumber.enc, id_number_hash: idNumber.hash, id_number_masked: idNumber.masked } : {}),
        ...(phone ? { phone_enc: phone.enc, phone_hash: phone.hash, phone_masked: phone.masked } : {}),
      }
      const updated = await trx
        .updateTable('people')
        .set((eb) => ({ ...person, ...sealed, version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', id)
        .where('version', '=', input.version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) !== 1) return 'stale'
      const mediator = {
        org_id: org.id,
        employment: input.employment,
        card_number: input.cardNumber || null,
        started_on: input.startedOn ?? null,
        status: input.status,
      }
      await trx
        .updateTable('mediators')
        .set((eb) => ({ ...mediator, version: eb('version', '+', 1), updated_at: now }))
        .where('person_id', '=', id)
        .execute()
      const before: AuditedPerson = {
        name: current.name,
        gender: current.gender,
        birth_date: current.birth_date,
        id_number_masked: current.id_number_masked,
        phone_masked: current.phone_masked,
        org_id: current.org_id,
        region_code: current.region_code,
        employment: current.employment,
        card_number: current.card_number,
        started_on: current.started_on,
        status: current.status,
      }
      const after: AuditedPerson = {
        ...person,
        id_number_masked: idNumber?.masked ?? current.id_number_masked,
        phone_masked: phone?.masked ?? current.phone_masked,
        employment: mediator.employment,
        card_number: mediator.card_number,
        started_on: mediator.started_on,
        status: mediator.status,
      }
      const detail: Record<string, unknown> = changes(before, after)
      // A re-entered number may mask the same as before yet differ: record that it was replaced.
      if (idNumber) detail.idNumberReplaced = true
      if (phone) detail.phoneReplaced = true
      await audit(trx, ctx.request, ctx.actor, { action: 'person.update', recordType: 'person', recordId: id, detail })
      return 'ok'
    })
  } catch (error) {
    const problem = writeProblem(error)
    if (problem) return problem
    throw error
  }
}

export interface PersonChecks {
  org: OrgChoice | null
  errors: Record<string, string[]>
  /** The person holding the submitted ID number, when the user may see them (for a link). */
  duplicateOf?: { id: string; name: string }
  orgOutOfScope: boolean
}

/**
 * Server-side checks of a person form: the organisation must be active and within the user's
 * person:edit scope (the select only offers those, but a form can be tampered with), and the ID
 * number must not belong to someone else. Whether the holder is named depends on whether the user
 * may see them.
 */
export async function checkPersonForm(
  db: Executor,
  user: Principal,
  input: { orgId: string; idNumber?: string },
  selfId?: string,
): Promise<PersonChecks> {
  const errors: Record<string, string[]> = {}
  const org = await orgForPerson(db, input.orgId)
  const orgOutOfScope = !org || !allows(user, 'person:edit', { regionPath: org.regionPath, orgId: org.id })
  if (orgOutOfScope) errors.orgId = ['people.error.orgOutOfScope']
  let duplicateOf: PersonChecks['duplicateOf']
  if (input.idNumber) {
    const holder = await findByIdNumber(db, input.idNumber)
    if (holder && holder.id !== selfId) {
      const visible = allows(user, 'person:view', holder.scope)
      errors.idNumber = [visible ? 'people.error.duplicateId' : 'people.error.duplicateIdHidden']
      if (visible) duplicateOf = { id: holder.id, name: holder.name }
    }
  }
  return { org: orgOutOfScope ? null : org, errors, duplicateOf, orgOutOfScope }
}
