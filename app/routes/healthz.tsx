import { sql } from 'kysely'
import { getDb } from '#app/lib/db.server.ts'

/** For load balancers: 200 when the database answers, 503 when it does not. */
export async function loader() {
  try {
    await sql`select 1`.execute(getDb())
    return new Response('ok', { headers: { 'Cache-Control': 'no-store' } })
  } catch {
    return new Response('database unavailable', { status: 503, headers: { 'Cache-Control': 'no-store' } })
  }
}
