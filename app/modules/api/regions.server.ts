/** Regions an administrator can bind a client to: the province, cities and districts. */
import type { Executor } from '#app/lib/db.server.ts'
import { regionsInScope } from '#app/modules/regions/regions.server.ts'

export async function clientRegionOptions(db: Executor) {
  const regions = await regionsInScope(db, { everything: true, regionPaths: [], orgIds: [], personIds: [] })
  return regions
    .filter((r) => r.level === 'province' || r.level === 'city' || r.level === 'district')
    .map((r) => ({ value: r.code, label: `${'　'.repeat(r.depth)}${r.name}` }))
}
