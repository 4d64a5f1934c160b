/**
 * What partners may read, through the public directory's own queries (app/modules/directory), so
 * "public" means one thing everywhere: active mediation organisations (office lines only, never a
 * mobile), graded mediators whose grade a finished 公示 made public (minus what they chose to hide),
 * and the expert fields this deployment publishes (setting `directory.expertFields`). The API adds
 * the client's region as a second restriction (`scopeRegion`): nothing outside it is listed.
 */
import type { z } from 'zod'
import type { Executor } from '#app/lib/db.server.ts'
import { listPublicExperts, listPublicMediators, listPublicOrganisations } from '#app/modules/directory/directory.server.ts'
import { cursorOf } from '#app/lib/opaque-cursor.ts'
import { regionPathOf } from '#app/modules/regions/regions.server.ts'
import type { ApiClientPrincipal } from './auth.server.ts'
import { ApiProblem, invalid } from './respond.server.ts'
import type { expertsQuery, mediatorsQuery, organisationsQuery } from './schemas.ts'

/** A cursor must come from the same list; anything else is a 400 on `cursor`, not a silent first page. */
function checkCursor(cursor: string | undefined, types: readonly ('string' | 'number')[]): void {
  if (cursor !== undefined && !cursorOf(cursor, types)) {
    throw invalid([{ field: 'cursor', code: 'invalid', message: 'Not a cursor from this list' }])
  }
}

/** A `region` filter must exist and lie within the client's region (403 like a user's out-of-scope list). */
async function checkRegion(db: Executor, client: ApiClientPrincipal, region: string | undefined): Promise<void> {
  if (!region) return
  const path = await regionPathOf(db, region)
  if (!path) throw invalid([{ field: 'region', code: 'invalid_choice', message: 'Unknown region' }])
  if (!path.startsWith(client.regionPath)) throw new ApiProblem(403, 'forbidden', 'That region is outside this client’s region.')
}

export async function listOrganisations(db: Executor, client: ApiClientPrincipal, query: z.output<typeof organisationsQuery>) {
  checkCursor(query.cursor, ['string', 'string'])
  await checkRegion(db, client, query.region)
  const page = await listPublicOrganisations(db, {
    scopeRegion: client.regionCode,
    region: query.region ?? null,
    kind: query.kind ?? null,
    disputeType: query.disputeType ?? null,
    q: query.q,
    cursor: query.cursor ?? null,
    limit: query.limit,
  })
  return {
    data: page.items.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      sector: o.sector,
      region: { code: o.regionCode, name: o.regionName },
      address: o.address,
      officePhone: o.officePhone,
      services: o.services,
      openingHours: o.openingHours,
      disputeTypes: o.disputeTypes,
    })),
    nextCursor: page.nextCursor,
  }
}

export async function listMediators(db: Executor, client: ApiClientPrincipal, query: z.output<typeof mediatorsQuery>) {
  checkCursor(query.cursor, ['number', 'string', 'string'])
  await checkRegion(db, client, query.region)
  const page = await listPublicMediators(db, {
    scopeRegion: client.regionCode,
    region: query.region ?? null,
    q: query.q,
    cursor: query.cursor ?? null,
    limit: query.limit,
  })
  return {
    data: page.items.map((m) => ({
      id: m.id,
      name: m.name,
      organisationName: m.orgName,
      grade: { name: m.gradeName, rank: Number(m.gradeRank), association: m.associationName, validUntil: m.validUntil },
    })),
    nextCursor: page.nextCursor,
  }
}

export async function listExperts(db: Executor, client: ApiClientPrincipal, query: z.output<typeof expertsQuery>) {
  checkCursor(query.cursor, ['string', 'string'])
  await checkRegion(db, client, query.region)
  const page = await listPublicExperts(db, {
    scopeRegion: client.regionCode,
    region: query.region ?? null,
    tier: query.tier ?? null,
    disputeType: query.disputeType ?? null,
    q: query.q,
    cursor: query.cursor ?? null,
    limit: query.limit,
  })
  return { data: page.items, nextCursor: page.nextCursor }
}
