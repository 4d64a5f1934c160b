/**
 * Reference data: administrative regions and dispute types. Safe to run on every start-up and
 * in production: regions are the national standard, so missing ones are inserted and changed
 * names or paths corrected; dispute types are inserted when missing and otherwise left alone,
 * because administrators own them once they exist (they may rename or deactivate them).
 */
import type { Selectable } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import type { DisputeTypeTable, RegionTable } from '#db/schema.ts'
import { DISPUTE_TYPES, OTHER_DISPUTE_TYPE } from './data/dispute-types.ts'
import { REGIONS, type RegionSeed } from './data/regions.ts'
import { chunk, existingValues, inTransaction, insertRows } from './bulk.ts'

export type RegionRow = Selectable<RegionTable>

/**
 * Turns a list of regions (each naming its parent) into rows with materialised paths and
 * sibling order, parents first. Every parent must be in the list.
 */
export function makeRegionTree(seeds: readonly RegionSeed[]): RegionRow[] {
  const byCode = new Map(seeds.map((s) => [s.code, s]))
  const paths = new Map<string, string>()
  const pathOf = (code: string, depth = 0): string => {
    const known = paths.get(code)
    if (known) return known
    const seed = byCode.get(code)
    if (!seed) throw new Error(`Region ${code} is named as a parent but is not in the list`)
    if (depth > 8) throw new Error(`Region ${code} is part of a cycle`)
    const path = `${seed.parent ? pathOf(seed.parent, depth + 1) : '/'}${code}/`
    paths.set(code, path)
    return path
  }
  const siblings = new Map<string | null, number>()
  const rows = seeds.map((seed): RegionRow => {
    const sort = (siblings.get(seed.parent) ?? 0) + 1
    siblings.set(seed.parent, sort)
    return { code: seed.code, name: seed.name, level: seed.level, parent_code: seed.parent, path: pathOf(seed.code), sort }
  })
  const depth = (row: RegionRow) => row.path.split('/').length
  return rows.sort((a, b) => depth(a) - depth(b))
}

export function disputeTypeRows(): Selectable<DisputeTypeTable>[] {
  return DISPUTE_TYPES.map((t, index) => ({
    code: t.code,
    name_zh: t.nameZh,
    name_en: t.nameEn,
    category: t.category,
    sort: t.code === OTHER_DISPUTE_TYPE ? 1000 : (index + 1) * 10,
    active: 1,
  }))
}

export interface ReferenceSummary {
  regionsInserted: number
  regionsUpdated: number
  disputeTypesInserted: number
}

function differs(a: RegionRow, b: RegionRow): boolean {
  return a.name !== b.name || a.level !== b.level || a.parent_code !== b.parent_code || a.path !== b.path || a.sort !== b.sort
}

export async function seedReferenceData(db: Executor): Promise<ReferenceSummary> {
  const regions = makeRegionTree(REGIONS)
  const disputeTypes = disputeTypeRows()
  return inTransaction(db, async (trx) => {
    const existing = new Map<string, RegionRow>()
    for (const codes of chunk(
      regions.map((r) => r.code),
      500,
    )) {
      for (const row of await trx.selectFrom('regions').selectAll().where('code', 'in', codes).execute()) {
        existing.set(row.code, row)
      }
    }
    const missing = regions.filter((r) => !existing.has(r.code))
    const changed = regions.filter((r) => {
      const current = existing.get(r.code)
      return current !== undefined && differs(current, r)
    })
    await insertRows(trx, 'regions', missing)
    for (const row of changed) {
      const { code, ...fields } = row
      await trx.updateTable('regions').set(fields).where('code', '=', code).execute()
    }
    const knownTypes = await existingValues(
      trx,
      'dispute_types',
      'code',
      disputeTypes.map((t) => t.code),
    )
    const newTypes = disputeTypes.filter((t) => !knownTypes.has(t.code))
    await insertRows(trx, 'dispute_types', newTypes)
    return { regionsInserted: missing.length, regionsUpdated: changed.length, disputeTypesInserted: newTypes.length }
  })
}
