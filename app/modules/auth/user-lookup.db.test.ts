/**
 * Loaders of one page that ask for the user at the same time share one look-up (authz.server.ts),
 * and nothing of it outlives the look-up: the next request sees a disabled account, an ended
 * session or a changed grant.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { countQueries } from '#tests/fixtures/query-count.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { type World, buildWorld } from '#tests/security/world.ts'
import { getOptionalUser, requireUser } from './authz.server.ts'

let world: World

beforeAll(async () => {
  world = await buildWorld(testDb())
})

const request = (cookie: string) => makeRequest('/people', { cookie })

describe(`the signed-in user of a request (${testDialect()})`, () => {
  it('runs one session and one grants query for loaders that ask at the same time', async () => {
    const cookie = world.users.hdStaff.cookie
    await getOptionalUser(request(cookie)) // the once-a-minute session touch, out of the count
    const { result, queries } = await countQueries(testDb(), () =>
      Promise.all([requireUser(request(cookie)), requireUser(request(cookie)), getOptionalUser(request(cookie))]),
    )
    expect(queries).toHaveLength(2)
    expect(result.map((u) => u?.userId)).toEqual([world.users.hdStaff.id, world.users.hdStaff.id, world.users.hdStaff.id])
    // Each caller has its own copy.
    expect(result[0]).not.toBe(result[1])
    expect(result[0]!.grants[0]).not.toBe(result[1]!.grants[0])
    expect(result[0]!.grants).toEqual(result[1]!.grants)
  })

  it('keeps different sessions apart', async () => {
    const [staff, manager] = await Promise.all([
      getOptionalUser(request(world.users.hdStaff.cookie)),
      getOptionalUser(request(world.users.hdManager.cookie)),
    ])
    expect(staff?.userId).toBe(world.users.hdStaff.id)
    expect(manager?.userId).toBe(world.users.hdManager.id)
  })

  it('looks again on the next request: a changed grant and a disabled account show at once', async () => {
    const cookie = world.users.cyStaff.cookie
    const userId = world.users.cyStaff.id
    expect((await getOptionalUser(request(cookie)))?.grants.map((g) => g.regionCode)).toEqual(['110105'])
    await testDb().updateTable('role_grants').set({ region_code: '110108' }).where('user_id', '=', userId).execute()
    expect((await getOptionalUser(request(cookie)))?.grants.map((g) => g.regionCode)).toEqual(['110108'])
    await testDb().updateTable('users').set({ status: 'disabled' }).where('id', '=', userId).execute()
    expect(await getOptionalUser(request(cookie))).toBeNull()
    const { queries } = await countQueries(testDb(), () => getOptionalUser(request(cookie)))
    // The disabled account's sessions were ended: the session look-up finds nothing.
    expect(queries).toHaveLength(1)
  })

  it('answers null without a session cookie, without a query', async () => {
    const { result, queries } = await countQueries(testDb(), () => getOptionalUser(makeRequest('/people')))
    expect(result).toBeNull()
    expect(queries).toHaveLength(0)
  })
})
