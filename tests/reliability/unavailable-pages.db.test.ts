/**
 * How the server tells "the database is unreachable" (answer 503) from every other error (500),
 * with real errors from real drivers: a refused connection, a server that stops answering, and
 * ordinary SQL errors on this file's own database (server/database-errors.js, server/unavailable.js).
 */
import net from 'node:net'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { createDatabase } from '#db/connect.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { isDatabaseUnavailable } from '../../server/database-errors.js'
import { RETRY_AFTER_SECONDS, withUnavailablePages } from '../../server/unavailable.js'

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

async function refusedConnectionError(): Promise<unknown> {
  const db = createDatabase(`mysql://root@127.0.0.1:${await closedPort()}/none`, { poolSize: 1 })
  try {
    return await errorOf(() => sql`select 1`.execute(db))
  } finally {
    await db.destroy()
  }
}

/** A "server" that accepts the connection and then hangs up, as a MariaDB being killed does. */
async function lostConnectionError(): Promise<unknown> {
  const server = net.createServer((socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  const db = createDatabase(`mysql://root@127.0.0.1:${port}/none`, { poolSize: 1 })
  try {
    return await errorOf(() => sql`select 1`.execute(db))
  } finally {
    await db.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
}

describe(`telling an unreachable database from other errors (${testDialect()})`, () => {
  it('recognises a refused and a lost connection', async () => {
    expect(isDatabaseUnavailable(await refusedConnectionError())).toBe(true)
    expect(isDatabaseUnavailable(await lostConnectionError())).toBe(true)
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: await refusedConnectionError() }))).toBe(true)
  })

  it('does not mistake SQL errors, constraint violations or plain bugs for an outage', async () => {
    const syntax = await errorOf(() => sql`selec 1`.execute(testDb()))
    const missingTable = await errorOf(() => sql`select * from no_such_table`.execute(testDb()))
    const id = newId()
    const row = { key: `reliability:${id}`, user_id: id, result: id, created_at: new Date().toISOString() }
    await testDb().insertInto('submission_keys').values(row).execute()
    const duplicate = await errorOf(() => testDb().insertInto('submission_keys').values(row).execute())
    for (const error of [syntax, missingTable, duplicate, new TypeError('x is undefined'), null, 'text']) {
      expect(isDatabaseUnavailable(error)).toBe(false)
    }
  })
})

describe('loaders and actions while the database is unreachable', () => {
  const outage = refusedConnectionError()
  const build = {
    entry: { module: {} },
    routes: {
      down: { id: 'down', module: { loader: async () => Promise.reject(await outage), action: async () => Promise.reject(await outage) } },
      bug: { id: 'bug', module: { loader: async () => Promise.reject(new TypeError('a bug')) } },
      fine: { id: 'fine', module: { loader: async () => ({ ok: true }), default: () => null } },
    },
  }
  const wrapped = withUnavailablePages(build) as typeof build

  it('answer 503 with Retry-After for a connection error, and let every other error through', async () => {
    for (const handler of [wrapped.routes.down.module.loader, wrapped.routes.down.module.action]) {
      const thrown = await errorOf(() => handler())
      expect(thrown).toBeInstanceOf(Response)
      expect((thrown as Response).status).toBe(503)
      expect((thrown as Response).headers.get('Retry-After')).toBe(String(RETRY_AFTER_SECONDS))
    }
    await expect(wrapped.routes.bug.module.loader()).rejects.toThrow(TypeError)
    expect(await wrapped.routes.fine.module.loader()).toEqual({ ok: true })
    // The rest of the route module (components, boundaries) is untouched, and wrapping is done once.
    expect(wrapped.routes.fine.module.default).toBe(build.routes.fine.module.default)
    expect(withUnavailablePages(build)).toBe(wrapped)
  })
})
