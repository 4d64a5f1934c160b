/**
 * What Tiaojie holds now, in the shapes the pure diff compares against: organisations linked to
 * a source (by code) and candidates to link by name, and people found by the keyed hash of their
 * ID number with their mediator record. Every function takes an executor, so applying can read
 * the same state inside its transaction.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { inRegionSubtree } from '#app/lib/list-scope.server.ts'
import type { OrgState, PersonState } from './diff.ts'
import { unlinkedKey } from './diff.ts'

const CHUNK = 500

async function chunked<T, R>(items: readonly T[], work: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await work(items.slice(i, i + CHUNK))))
  return out
}

export async function regionMap(db: Executor): Promise<Map<string, { path: string; name: string }>> {
  const rows = await db.selectFrom('regions').select(['code', 'path', 'name']).execute()
  return new Map(rows.map((r) => [r.code, { path: r.path, name: r.name }]))
}

/** Active dispute types by code, Chinese name and lower-cased English name. */
export async function sectorMap(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('dispute_types').select(['code', 'name_zh', 'name_en']).where('active', '=', 1).execute()
  const map = new Map<string, string>()
  for (const r of rows) {
    map.set(r.code, r.code)
    map.set(r.code.toLowerCase(), r.code)
    map.set(r.name_zh, r.code)
    map.set(r.name_en.toLowerCase(), r.code)
  }
  return map
}

export async function sectorNames(db: Executor): Promise<Record<string, string>> {
  const rows = await db.selectFrom('dispute_types').select(['code', 'name_zh']).execute()
  return Object.fromEntries(rows.map((r) => [r.code, r.name_zh]))
}

function orgSelect(db: Executor) {
  return db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select([
      'o.id',
      'o.name',
      'o.kind',
      'o.sector_code',
      'o.region_code',
      'r.path',
      'o.address',
      'o.contact_phone',
      'o.status',
      'o.version',
    ])
}

type OrgRowOut = Awaited<ReturnType<ReturnType<typeof orgSelect>['execute']>>[number]

function toOrgState(r: OrgRowOut): OrgState {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    sectorCode: r.sector_code,
    regionCode: r.region_code,
    regionPath: r.path,
    address: r.address,
    contactPhone: r.contact_phone,
    status: r.status,
    version: r.version,
  }
}

/** Every organisation linked to the source, by code. */
export async function linkedOrgs(db: Executor, sourceId: string): Promise<Map<string, OrgState>> {
  const rows = await orgSelect(db)
    .innerJoin('roster_org_links as l', 'l.org_id', 'o.id')
    .select('l.code')
    .where('l.source_id', '=', sourceId)
    .execute()
  return new Map(rows.map((r) => [r.code, toOrgState(r)]))
}

/** Organisations not linked to the source carrying one of these names, by region and name. */
export async function unlinkedOrgs(db: Executor, sourceId: string, names: readonly string[]): Promise<Map<string, OrgState[]>> {
  const unique = [...new Set(names)]
  const rows = await chunked(unique, (part) =>
    orgSelect(db)
      .where('o.name', 'in', part)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('roster_org_links as l').select('l.org_id').whereRef('l.org_id', '=', 'o.id').where('l.source_id', '=', sourceId),
          ),
        ),
      )
      .execute(),
  )
  const map = new Map<string, OrgState[]>()
  for (const r of rows) {
    const key = unlinkedKey(r.region_code, r.name)
    map.set(key, [...(map.get(key) ?? []), toOrgState(r)])
  }
  return map
}

function personSelect(db: Executor, sourceId: string) {
  return db
    .selectFrom('people as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .leftJoin('roster_org_links as l', (join) => join.onRef('l.org_id', '=', 'm.org_id').on('l.source_id', '=', sourceId))
    .select([
      'p.id',
      'p.name',
      'p.id_number_hash',
      'p.id_number_masked',
      'p.phone_hash',
      'p.phone_masked',
      'p.version',
      'r.path',
      'm.person_id as mediator_id',
      'm.org_id',
      'l.code as org_code',
      'm.employment',
      'm.card_number',
      'm.started_on',
      'm.status',
      'm.version as mediator_version',
    ])
}

type PersonRowOut = Awaited<ReturnType<ReturnType<typeof personSelect>['execute']>>[number]

function toPersonState(r: PersonRowOut): PersonState {
  return {
    personId: r.id,
    name: r.name,
    idMasked: r.id_number_masked,
    phoneHash: r.phone_hash,
    phoneMasked: r.phone_masked,
    regionPath: r.path,
    version: r.version,
    mediator:
      r.mediator_id && r.org_id && r.employment && r.status && r.mediator_version !== null
        ? {
            orgId: r.org_id,
            orgCode: r.org_code,
            employment: r.employment,
            cardNumber: r.card_number,
            startedOn: r.started_on,
            status: r.status,
            version: r.mediator_version,
          }
        : null,
  }
}

/** People registered under these ID hashes, by hash. */
export async function peopleByHash(db: Executor, sourceId: string, hashes: readonly string[]): Promise<Map<string, PersonState>> {
  const rows = await chunked([...new Set(hashes)], (part) => personSelect(db, sourceId).where('p.id_number_hash', 'in', part).execute())
  return new Map(rows.map((r) => [r.id_number_hash as string, toPersonState(r)]))
}

/** Active mediators of organisations linked to the source within a region subtree. */
export async function mediatorsInScope(db: Executor, sourceId: string, regionPath: string): Promise<PersonState[]> {
  const rows = await personSelect(db, sourceId)
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .where('l.code', 'is not', null)
    .where('m.status', '=', 'active')
    .where(inRegionSubtree('o.region_code', regionPath))
    .orderBy('p.name')
    .execute()
  return rows.map(toPersonState)
}

/** Who holds these work-card numbers now. */
export async function cardOwners(db: Executor, cards: readonly string[]): Promise<Map<string, string>> {
  const rows = await chunked([...new Set(cards)], (part) =>
    db.selectFrom('mediators').select(['person_id', 'card_number']).where('card_number', 'in', part).execute(),
  )
  return new Map(rows.map((r) => [r.card_number as string, r.person_id]))
}
