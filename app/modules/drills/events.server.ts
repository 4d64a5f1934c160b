/**
 * Drill events (练兵比武): staff schedule drills for an organisation or a region subtree within a
 * window; mediators in scope take part from their drills page; results by person and by
 * organisation (team average). Leaderboards show names only of people in the viewer's own
 * organisation (staff who manage the event see every name).
 */
import type { Executor } from '#app/lib/db.server.ts'
import { inRegionSubtree } from '#app/lib/list-scope.server.ts'
import { newId } from '#app/lib/ids.ts'
import { parseJson } from './attempts.server.ts'

export interface DrillEvent {
  id: string
  title: string
  slugs: string[]
  regionCode: string | null
  orgId: string | null
  /** The region path the event reaches: its region's, or its organisation's region. */
  regionPath: string | null
  targetName: string
  startsAt: string
  endsAt: string
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('drill_events as e')
    .leftJoin('organisations as o', 'o.id', 'e.org_id')
    .leftJoin('regions as r', (join) => join.on((eb) => eb('r.code', '=', eb.fn.coalesce('e.region_code', 'o.region_code'))))
    .select([
      'e.id',
      'e.title',
      'e.slugs',
      'e.region_code',
      'e.org_id',
      'e.starts_at',
      'e.ends_at',
      'r.path',
      'r.name as region_name',
      'o.name as org_name',
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number]

function toEvent(row: Row): DrillEvent {
  return {
    id: row.id,
    title: row.title,
    slugs: parseJson<string[]>(row.slugs, []),
    regionCode: row.region_code,
    orgId: row.org_id,
    regionPath: row.path ?? null,
    targetName: row.org_id ? (row.org_name ?? '') : (row.region_name ?? ''),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
  }
}

export async function getEvent(db: Executor, id: string): Promise<DrillEvent | null> {
  const row = await baseQuery(db).where('e.id', '=', id).executeTakeFirst()
  return row ? toEvent(row) : null
}

/** Events of the last 90 days and the future, newest window first. */
export async function recentEvents(db: Executor, now = new Date()): Promise<DrillEvent[]> {
  const cutoff = new Date(now.getTime() - 90 * 86_400_000).toISOString()
  const rows = await baseQuery(db).where('e.ends_at', '>=', cutoff).orderBy('e.starts_at', 'desc').limit(300).execute()
  return rows.map(toEvent)
}

export interface Participant {
  personId: string
  orgId: string | null
  regionPath: string | null
}

export async function participantOf(db: Executor, personId: string): Promise<Participant | null> {
  const row = await db
    .selectFrom('people as p')
    .innerJoin('mediators as m', 'm.person_id', 'p.id')
    .leftJoin('regions as r', 'r.code', 'p.region_code')
    .select(['p.id', 'm.org_id', 'r.path'])
    .where('p.id', '=', personId)
    .executeTakeFirst()
  return row ? { personId: row.id, orgId: row.org_id, regionPath: row.path ?? null } : null
}

export function includes(event: DrillEvent, who: Participant): boolean {
  if (event.orgId) return who.orgId === event.orgId
  return !!event.regionPath && !!who.regionPath && who.regionPath.startsWith(event.regionPath)
}

export function windowState(event: Pick<DrillEvent, 'startsAt' | 'endsAt'>, now = new Date()): 'upcoming' | 'open' | 'closed' {
  const at = now.toISOString()
  return at < event.startsAt ? 'upcoming' : at > event.endsAt ? 'closed' : 'open'
}

export async function eventsFor(db: Executor, who: Participant, now = new Date()): Promise<DrillEvent[]> {
  return (await recentEvents(db, now)).filter((e) => includes(e, who))
}

export async function createEvent(
  db: Executor,
  input: { title: string; slugs: string[]; regionCode: string | null; orgId: string | null; startsAt: string; endsAt: string },
  userId: string,
): Promise<string> {
  const id = newId()
  await db
    .insertInto('drill_events')
    .values({
      id,
      title: input.title,
      slugs: JSON.stringify(input.slugs),
      region_code: input.regionCode,
      org_id: input.orgId,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      created_by: userId,
      created_at: new Date().toISOString(),
      version: 1,
    })
    .execute()
  return id
}

export interface PersonResult {
  rank: number
  /** Null when the viewer may not see the name (someone outside their organisation). */
  name: string | null
  self: boolean
  orgName: string
  total: number
  scores: Record<string, number | null>
}

export interface OrgResult {
  orgName: string
  members: number
  took: number
  average: number | null
}

/**
 * Results: each participant's best graded score per event drill (missing counts as 0), their
 * average as the total; organisations ranked by the average of those who took part.
 */
export async function eventResults(
  db: Executor,
  event: DrillEvent,
  viewer: { personId: string | null; orgId: string | null; allNames: boolean },
) {
  let people = db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['p.id', 'p.name', 'm.org_id', 'o.name as org_name'])
    .where('m.status', '=', 'active')
  people = event.orgId
    ? people.where('m.org_id', '=', event.orgId)
    : people.where(inRegionSubtree('p.region_code', event.regionPath ?? '-'))
  const members = await people.orderBy('p.id').limit(5000).execute()
  const attempts = await db
    .selectFrom('drill_attempts')
    .select(['person_id', 'drill_slug', 'score'])
    .where('event_id', '=', event.id)
    .where('status', '=', 'graded')
    .execute()
  const best = new Map<string, number>()
  for (const a of attempts) {
    const key = `${a.person_id}|${a.drill_slug}`
    best.set(key, Math.max(best.get(key) ?? 0, a.score ?? 0))
  }
  const took = new Set(attempts.map((a) => a.person_id))
  const rows = members
    .filter((m) => took.has(m.id))
    .map((m) => {
      const scores = Object.fromEntries(event.slugs.map((slug) => [slug, best.get(`${m.id}|${slug}`) ?? null]))
      const total = Math.round(event.slugs.reduce((sum, slug) => sum + (scores[slug] ?? 0), 0) / Math.max(1, event.slugs.length))
      return { member: m, scores, total }
    })
    .sort((a, b) => b.total - a.total)
  const persons: PersonResult[] = rows.map((r, i) => ({
    rank: i + 1,
    name: viewer.allNames || (viewer.orgId && r.member.org_id === viewer.orgId) ? r.member.name : null,
    self: r.member.id === viewer.personId,
    orgName: r.member.org_name,
    total: r.total,
    scores: r.scores,
  }))
  const byOrg = new Map<string, { orgName: string; members: number; totals: number[] }>()
  for (const m of members) {
    const entry = byOrg.get(m.org_id) ?? { orgName: m.org_name, members: 0, totals: [] }
    entry.members++
    byOrg.set(m.org_id, entry)
  }
  for (const r of rows) byOrg.get(r.member.org_id)!.totals.push(r.total)
  const orgs: OrgResult[] = [...byOrg.values()]
    .map((o) => ({
      orgName: o.orgName,
      members: o.members,
      took: o.totals.length,
      average: o.totals.length ? Math.round(o.totals.reduce((a, b) => a + b, 0) / o.totals.length) : null,
    }))
    .filter((o) => o.took > 0)
    .sort((a, b) => (b.average ?? 0) - (a.average ?? 0))
  return { persons, orgs, participants: members.length }
}
