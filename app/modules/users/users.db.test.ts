/**
 * Account administration through its routes, as an administrator and as everyone else
 * (security checklist 5, 12, 15, 16, 31).
 */
import { createHash } from 'node:crypto'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loader as locksLoader, action as locksAction } from '#app/routes/_app.admin.sign-in-locks.tsx'
import { loader as userLoader, action as userAction } from '#app/routes/_app.admin.users.$userId.tsx'
import { loader as listLoader } from '#app/routes/_app.admin.users._index.tsx'
import { loader as newLoader, action as newAction } from '#app/routes/_app.admin.users.new.tsx'
import { action as setupAction } from '#app/routes/setup.$token.tsx'
import type { Role } from '#db/schema.ts'
import { testDb } from '#tests/fixtures/db.ts'
import { createOrganisation, createPerson, createUser } from '#tests/fixtures/factories.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import {
  type RouteResult,
  callRoute,
  cookiePair,
  fieldErrorsOf,
  flashOf,
  locationOf,
  sessionCookieOf,
  setCookieLine,
  signInAs,
} from '#tests/auth/helpers.ts'
import { getOptionalUser } from '#app/modules/auth/authz.server.ts'
import { navigationFor } from '#app/modules/auth/navigation.ts'

const PASSWORD = 'staff-password-2026'
const HAIDIAN = '110108'

let adminId: string
let adminCookie: string
let association: { id: string }
let committee: { id: string }

async function account(username: string, roles: { role: Role; regionCode?: string; orgId?: string }[]) {
  const { user } = await createUser(testDb(), { username, password: PASSWORD, roles })
  return { userId: user.id, cookie: await signInAs(username, PASSWORD) }
}

beforeAll(async () => {
  association = await createOrganisation(testDb(), { kind: 'association', name: '海淀区人民调解协会', region_code: HAIDIAN })
  committee = await createOrganisation(testDb(), { kind: 'committee_village', name: '某社区人民调解委员会', region_code: HAIDIAN })
  const admin = await account('root.admin', [{ role: 'admin' }])
  adminId = admin.userId
  adminCookie = admin.cookie
})

beforeEach(async () => {
  await testDb().deleteFrom('sign_in_throttle').where('key', 'like', 'address:%').execute()
})

const get = (fn: unknown, path: string, cookie: string, params: Record<string, string> = {}) =>
  callRoute(fn as never, makeRequest(path, { cookie }), params)
const post = (fn: unknown, path: string, cookie: string, form: Record<string, string | string[]>, params: Record<string, string> = {}) =>
  callRoute(fn as never, makeRequest(path, { cookie, form }), params)

const userPage = (userId: string, cookie = adminCookie, extraCookie?: string) =>
  get(userLoader, `/admin/users/${userId}`, extraCookie ? `${cookie}; ${extraCookie}` : cookie, { userId })
const userPost = (userId: string, form: Record<string, string>, cookie = adminCookie) =>
  post(userAction, `/admin/users/${userId}`, cookie, form, { userId })

let created = 0
function newUserForm(overrides: Record<string, string> = {}): Record<string, string> {
  return { username: `New.Person${++created}`, displayName: '新用户', 'grants[0].role': 'mediator', ...overrides }
}
const createAccount = (form: Record<string, string>, cookie = adminCookie) => post(newAction, '/admin/users/new', cookie, form)

async function userByName(username: string) {
  return testDb().selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
}
const auditsFor = (recordId: string, action: string) =>
  testDb().selectFrom('audit_log').selectAll().where('record_id', '=', recordId).where('action', '=', action).execute()
const rowCount = async (table: 'users' | 'role_grants' | 'setup_tokens' | 'sessions') =>
  Number(
    (
      await testDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('who may administer accounts', () => {
  it('is the system administrator alone: every other role gets 403 and is logged', async () => {
    const others: [string, { role: Role; regionCode?: string; orgId?: string }[]][] = [
      ['x.security', [{ role: 'security_admin' }]],
      ['x.auditor', [{ role: 'auditor' }]],
      ['x.staff', [{ role: 'bureau_staff', regionCode: HAIDIAN }]],
      ['x.assoc', [{ role: 'association_admin', orgId: association.id }]],
      ['x.manager', [{ role: 'org_manager', orgId: committee.id }]],
      ['x.mediator', [{ role: 'mediator' }]],
    ]
    const target = await account('x.target', [{ role: 'mediator' }])
    const counts = { users: await rowCount('users'), grants: await rowCount('role_grants'), tokens: await rowCount('setup_tokens') }
    for (const [username, roles] of others) {
      const { userId, cookie } = await account(username, roles)
      const counted = { users: await rowCount('users'), grants: await rowCount('role_grants'), tokens: await rowCount('setup_tokens') }
      const attempts: RouteResult[] = [
        await get(listLoader, '/admin/users', cookie),
        await get(newLoader, '/admin/users/new', cookie),
        await createAccount(newUserForm({ 'grants[0].role': 'admin' }), cookie),
        await userPage(target.userId, cookie),
        await userPost(target.userId, { intent: 'add-grant', 'grant.role': 'admin' }, cookie),
        await userPost(target.userId, { intent: 'disable', version: '1' }, cookie),
        await userPost(target.userId, { intent: 'issue-link' }, cookie),
        // Not even to themselves.
        await userPost(userId, { intent: 'add-grant', 'grant.role': 'admin' }, cookie),
      ]
      expect(attempts.map((a) => a.status)).toEqual(Array(attempts.length).fill(403))
      expect({ users: await rowCount('users'), grants: await rowCount('role_grants'), tokens: await rowCount('setup_tokens') }).toEqual(
        counted,
      )
      const denials = await testDb()
        .selectFrom('audit_log')
        .select('action')
        .where('user_id', '=', userId)
        .where('result', '=', 'denied')
        .execute()
      expect(denials).toHaveLength(attempts.length)
      expect(navigationFor((await getOptionalUser(makeRequest('/', { cookie })))!).map((i) => i.to)).not.toContain('/admin/users')
    }
    expect(counts.users).toBeLessThan(await rowCount('users'))
    expect((await testDb().selectFrom('users').select('status').where('id', '=', target.userId).executeTakeFirstOrThrow()).status).toBe(
      'active',
    )
  })

  it('sends anonymous visitors to sign in', async () => {
    const result = await callRoute(listLoader as never, makeRequest('/admin/users'))
    expect(result.status).toBe(302)
    expect(locationOf(result)).toBe('/login?redirectTo=%2Fadmin%2Fusers')
    const created = await callRoute(newAction as never, makeRequest('/admin/users/new', { form: newUserForm() }))
    expect(locationOf(created)).toMatch(/^\/login/)
  })
})

describe('creating an account', () => {
  it('stores the account without a password, with its grants, and hands over a one-time link on screen', async () => {
    const result = await createAccount(
      newUserForm({
        username: ' Zhao.Liu ',
        displayName: '赵六',
        'grants[0].role': 'bureau_staff',
        'grants[0].regionCode': HAIDIAN,
        'grants[1].role': 'reviewer',
        'grants[1].regionCode': HAIDIAN,
      }),
    )
    expect(result.status).toBe(302)
    const user = (await userByName('zhao.liu'))!
    expect(user).toMatchObject({ display_name: '赵六', password_hash: null, status: 'active', version: 1, person_id: null })
    expect(locationOf(result)).toBe(`/admin/users/${user.id}`)
    expect(await flashOf(result)).toEqual({ kind: 'success', message: 'users.created' })
    const grants = await testDb()
      .selectFrom('role_grants')
      .select(['role', 'region_code', 'org_id', 'created_by'])
      .where('user_id', '=', user.id)
      .orderBy('role')
      .execute()
    expect(grants).toEqual([
      { role: 'bureau_staff', region_code: HAIDIAN, org_id: null, created_by: adminId },
      { role: 'reviewer', region_code: HAIDIAN, org_id: null, created_by: adminId },
    ])

    // The link travels in a short-lived cookie for the account pages only, and is shown once.
    const linkCookie = setCookieLine(result, 'tiaojie_setup_link')!
    expect(linkCookie).toMatch(/Path=\/admin\/users/)
    expect(linkCookie).toMatch(/HttpOnly/)
    expect(linkCookie).toMatch(/SameSite=Strict/)
    expect(linkCookie).toMatch(/Max-Age=600/)
    const page = await userPage(user.id, adminCookie, cookiePair(linkCookie))
    expect(page.status).toBe(200)
    const link = page.data.setupLink.link as string
    expect(link).toMatch(/^http:\/\/localhost:3000\/setup\/[A-Za-z0-9_-]{43}$/)
    expect(page.data.setupLink.purpose).toBe('setup')
    expect(setCookieLine(page, 'tiaojie_setup_link')).toMatch(/Max-Age=0/)
    const token = link.split('/').at(-1)!
    // The token is in the cookie only encrypted, and nowhere in the database or the audit log.
    expect(linkCookie).not.toContain(token)
    const [stored] = await testDb().selectFrom('setup_tokens').selectAll().where('user_id', '=', user.id).execute()
    expect(stored!.token_hash).toBe(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(await testDb().selectFrom('audit_log').selectAll().execute())).not.toContain(token)
    const [audit] = await auditsFor(user.id, 'user.create')
    expect(JSON.parse(audit!.detail!).after).toMatchObject({
      username: 'zhao.liu',
      status: 'active',
      grants: [{ role: 'bureau_staff' }, { role: 'reviewer' }],
    })

    // Without the cookie (a reload), the link is not shown again.
    expect((await userPage(user.id)).data.setupLink).toBeNull()
    // Another account's page does not consume it.
    expect((await userPage(adminId, adminCookie, cookiePair(linkCookie))).data.setupLink).toBeNull()

    // And the new user can set a password with it and is signed in.
    const setup = await callRoute(
      setupAction as never,
      makeRequest(`/setup/${token}`, { form: { password: 'zhao-liu-password', confirm: 'zhao-liu-password' } }),
      { token },
    )
    expect(setup.status).toBe(302)
    const session = await getOptionalUser(makeRequest('/', { cookie: sessionCookieOf(setup) }))
    expect(session?.username).toBe('zhao.liu')
    expect(session?.grants.map((g) => g.role).sort()).toEqual(['bureau_staff', 'reviewer'])
  })

  it('works without JavaScript: "add another role" re-renders the form with one more row and creates nothing', async () => {
    const before = await rowCount('users')
    const intent = JSON.stringify({ type: 'insert', payload: { name: 'grants', defaultValue: {} } })
    const result = await createAccount({ ...newUserForm({ username: 'no.script' }), __intent__: intent })
    expect(result.status).toBe(200)
    expect(result.data.status).toBeUndefined()
    expect(result.data.initialValue.username).toBe('no.script')
    expect(result.data.initialValue.grants).toHaveLength(2)
    expect(result.data.initialValue.grants[0]).toEqual({ role: 'mediator' })
    expect(await rowCount('users')).toBe(before)
  })

  it('refuses a username that is taken, whatever its case', async () => {
    await createAccount(newUserForm({ username: 'dup.name' }))
    const before = await rowCount('users')
    const result = await createAccount(newUserForm({ username: 'DUP.Name' }))
    expect(result.status).toBe(400)
    expect(fieldErrorsOf(result, 'username')).toEqual(['validation.duplicateUsername'])
    expect(await rowCount('users')).toBe(before)
  })

  it('refuses a malformed username', async () => {
    for (const username of ['张三', 'ab', 'zhang san']) {
      expect(fieldErrorsOf(await createAccount(newUserForm({ username })), 'username')).toEqual(['validation.username'])
    }
  })

  it('refuses scoped roles without a proper scope', async () => {
    const before = await rowCount('users')
    const cases: [Record<string, string>, string, string][] = [
      [{ 'grants[0].role': 'bureau_staff' }, 'grants[0].regionCode', 'users.grant.regionRequired'],
      [{ 'grants[0].role': 'org_manager' }, 'grants[0].orgId', 'users.grant.orgRequired'],
      [{ 'grants[0].role': 'association_admin', 'grants[0].orgId': committee.id }, 'grants[0].orgId', 'users.grant.notAssociation'],
      [{ 'grants[0].role': 'bureau_staff', 'grants[0].regionCode': '999999' }, 'grants[0].regionCode', 'users.grant.unknownRegion'],
      [{ 'grants[0].role': 'org_manager', 'grants[0].orgId': '01JD0000000000000000000000' }, 'grants[0].orgId', 'users.grant.unknownOrg'],
    ]
    for (const [form, field, message] of cases) {
      const result = await createAccount(newUserForm(form))
      expect(result.status).toBe(400)
      expect(fieldErrorsOf(result, field)).toEqual([message])
    }
    expect(fieldErrorsOf(await createAccount({ username: 'no.roles', displayName: '无角色' }), 'grants')).toEqual([
      'users.grant.atLeastOne',
    ])
    expect(await rowCount('users')).toBe(before)
  })

  it('lets association admins have an association and managers any organisation', async () => {
    const assoc = await createAccount(
      newUserForm({ username: 'ok.assoc', 'grants[0].role': 'association_admin', 'grants[0].orgId': association.id }),
    )
    const manager = await createAccount(
      newUserForm({ username: 'ok.manager', 'grants[0].role': 'org_manager', 'grants[0].orgId': committee.id }),
    )
    expect([assoc.status, manager.status]).toEqual([302, 302])
  })

  it('sets nothing the form does not offer: status, version and password are the system’s', async () => {
    const result = await createAccount(
      newUserForm({
        username: 'mass.assign',
        status: 'disabled',
        version: '42',
        password_hash: 'x',
        passwordHash: 'x',
        'grants[0].userId': adminId,
      }),
    )
    expect(result.status).toBe(302)
    const user = (await userByName('mass.assign'))!
    expect(user).toMatchObject({ status: 'active', version: 1, password_hash: null })
    expect(await testDb().selectFrom('role_grants').select('user_id').where('user_id', '=', adminId).execute()).toHaveLength(1)
  })

  it('links a person, once', async () => {
    const person = await createPerson(testDb(), { org_id: committee.id })
    const first = await createAccount(newUserForm({ username: 'with.person', personId: person.id }))
    expect(first.status).toBe(302)
    expect((await userByName('with.person'))!.person_id).toBe(person.id)
    const second = await createAccount(newUserForm({ username: 'same.person', personId: person.id }))
    expect(fieldErrorsOf(second, 'personId')).toEqual(['users.person.taken'])
  })
})

describe('the account list', () => {
  it('searches, filters and pages on the server', async () => {
    await account('list.staff', [{ role: 'bureau_staff', regionCode: HAIDIAN }])
    const disabled = await createUser(testDb(), {
      username: 'list.gone',
      displayName: '离职人员',
      roles: [{ role: 'mediator' }],
      status: 'disabled',
    })
    const all = await get(listLoader, '/admin/users?size=100', adminCookie)
    expect(all.status).toBe(200)
    expect(all.data.total).toBe(await rowCount('users'))

    const staff = await get(listLoader, '/admin/users?role=bureau_staff&q=LIST', adminCookie)
    expect(staff.data.rows.map((r: { username: string }) => r.username)).toEqual(['list.staff'])
    expect(staff.data.rows[0].grants).toEqual([expect.objectContaining({ role: 'bureau_staff', regionCode: HAIDIAN })])

    const gone = await get(listLoader, '/admin/users?status=disabled', adminCookie)
    expect(gone.data.rows.map((r: { id: string }) => r.id)).toContain(disabled.user.id)
    expect(gone.data.rows.every((r: { status: string }) => r.status === 'disabled')).toBe(true)

    const byName = await get(listLoader, `/admin/users?q=${encodeURIComponent('离职')}`, adminCookie)
    expect(byName.data.rows.map((r: { username: string }) => r.username)).toEqual(['list.gone'])

    // LIKE wildcards in the search are literal.
    expect((await get(listLoader, '/admin/users?q=%25', adminCookie)).data.total).toBe(0)

    const page1 = await get(listLoader, '/admin/users?sort=username&dir=desc&size=20&page=1', adminCookie)
    const names = page1.data.rows.map((r: { username: string }) => r.username)
    expect(names).toEqual([...names].sort().reverse())
    expect(page1.data.rows.length).toBeLessThanOrEqual(20)
    // Password hashes never reach the page.
    expect(JSON.stringify(all.data)).not.toContain('$argon2id')
  })
})

describe('changing an account', () => {
  it('adds and removes grants, auditing before and after', async () => {
    const { userId } = await account('grant.target', [{ role: 'mediator' }])
    const added = await userPost(userId, { intent: 'add-grant', 'grant.role': 'bureau_staff', 'grant.regionCode': HAIDIAN })
    expect(added.status).toBe(302)
    expect(await flashOf(added)).toEqual({ kind: 'success', message: 'users.grant.added' })
    const duplicate = await userPost(userId, { intent: 'add-grant', 'grant.role': 'bureau_staff', 'grant.regionCode': HAIDIAN })
    expect(duplicate.status).toBe(400)
    expect(duplicate.data.result.error['grant.role']).toEqual(['users.grant.duplicate'])
    const unscoped = await userPost(userId, { intent: 'add-grant', 'grant.role': 'org_manager' })
    expect(unscoped.data.result.error['grant.orgId']).toEqual(['users.grant.orgRequired'])

    const grants = await testDb().selectFrom('role_grants').select(['id', 'role']).where('user_id', '=', userId).execute()
    expect(grants.map((g) => g.role).sort()).toEqual(['bureau_staff', 'mediator'])
    const [addAudit] = await auditsFor(userId, 'user.grant_added')
    const detail = JSON.parse(addAudit!.detail!)
    expect(detail.before).toEqual([{ role: 'mediator', regionCode: null, orgId: null }])
    expect(detail.after).toHaveLength(2)

    const mediatorGrant = grants.find((g) => g.role === 'mediator')!
    expect((await userPost(userId, { intent: 'remove-grant', grantId: mediatorGrant.id })).status).toBe(302)
    expect(await testDb().selectFrom('role_grants').select('role').where('user_id', '=', userId).execute()).toEqual([
      { role: 'bureau_staff' },
    ])
    const [removeAudit] = await auditsFor(userId, 'user.grant_removed')
    expect(JSON.parse(removeAudit!.detail!).after).toEqual([{ role: 'bureau_staff', regionCode: HAIDIAN, orgId: null }])
  })

  it('takes effect on the user’s next request, without signing in again', async () => {
    const { userId, cookie } = await account('grant.live', [{ role: 'mediator' }])
    await userPost(userId, { intent: 'add-grant', 'grant.role': 'auditor' })
    const user = await getOptionalUser(makeRequest('/', { cookie }))
    expect(user?.grants.map((g) => g.role).sort()).toEqual(['auditor', 'mediator'])
  })

  it('never lets administrators remove their own last admin grant or disable themselves', async () => {
    const [grant] = await testDb().selectFrom('role_grants').select('id').where('user_id', '=', adminId).execute()
    const removal = await userPost(adminId, { intent: 'remove-grant', grantId: grant!.id })
    expect(await flashOf(removal)).toEqual({ kind: 'error', message: 'users.grant.ownLastAdmin' })
    const version = (await testDb().selectFrom('users').select('version').where('id', '=', adminId).executeTakeFirstOrThrow()).version
    const disable = await userPost(adminId, { intent: 'disable', version: String(version) })
    expect(await flashOf(disable)).toEqual({ kind: 'error', message: 'users.status.notSelf' })
    expect(await testDb().selectFrom('role_grants').select('role').where('user_id', '=', adminId).execute()).toEqual([{ role: 'admin' }])
    expect(await getOptionalUser(makeRequest('/', { cookie: adminCookie }))).not.toBeNull()
    expect((await userPage(adminId)).data.removable[grant!.id]).toBe(false)
  })

  it('lets one administrator remove another’s admin grant', async () => {
    const other = await account('second.admin', [{ role: 'admin' }])
    const [grant] = await testDb().selectFrom('role_grants').select('id').where('user_id', '=', other.userId).execute()
    expect((await userPost(other.userId, { intent: 'remove-grant', grantId: grant!.id })).status).toBe(302)
    expect(await testDb().selectFrom('role_grants').select('id').where('user_id', '=', other.userId).execute()).toEqual([])
    // Their next request is refused.
    expect((await get(listLoader, '/admin/users', other.cookie)).status).toBe(403)
  })

  it('disables an account, which ends its sessions at once, and enables it again', async () => {
    const { userId, cookie } = await account('to.disable', [{ role: 'mediator' }])
    const second = await signInAs('to.disable', PASSWORD)
    const result = await userPost(userId, { intent: 'disable', version: '1' })
    expect(await flashOf(result)).toEqual({ kind: 'success', message: 'users.status.disabledDone' })
    expect(await testDb().selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).toEqual([])
    expect(await getOptionalUser(makeRequest('/', { cookie }))).toBeNull()
    expect(await getOptionalUser(makeRequest('/', { cookie: second }))).toBeNull()
    await expect(signInAs('to.disable', PASSWORD)).rejects.toThrow(/failed with 400/)
    const [audit] = await auditsFor(userId, 'user.disable')
    expect(JSON.parse(audit!.detail!)).toEqual({ before: { status: 'active' }, after: { status: 'disabled' }, sessionsEnded: 2 })

    expect((await userPost(userId, { intent: 'enable', version: '2' })).status).toBe(302)
    expect(await signInAs('to.disable', PASSWORD)).toMatch(/^tiaojie_session=/)
  })

  it('refuses a change made from an outdated page, overwriting nothing', async () => {
    const { userId } = await account('stale.target', [{ role: 'mediator' }])
    const first = await userPost(userId, { intent: 'update-profile', displayName: '第一次', version: '1' })
    expect(first.status).toBe(302)
    const stale = await userPost(userId, { intent: 'update-profile', displayName: '第二次', version: '1' })
    expect(stale.status).toBe(409)
    expect(stale.data.result.error['']).toEqual(['form.staleVersion'])
    // The user's input comes back.
    expect(stale.data.result.initialValue.displayName).toBe('第二次')
    const row = await testDb().selectFrom('users').select(['display_name', 'version']).where('id', '=', userId).executeTakeFirstOrThrow()
    expect(row).toEqual({ display_name: '第一次', version: 2 })
    expect(await flashOf(await userPost(userId, { intent: 'disable', version: '1' }))).toEqual({
      kind: 'error',
      message: 'form.staleVersion',
    })
    const [audit] = await auditsFor(userId, 'user.update')
    expect(JSON.parse(audit!.detail!)).toEqual({
      before: { displayName: 'stale.target', personId: null },
      after: { displayName: '第一次', personId: null },
    })
  })

  it('issues a password-reset link shown once, which cancels the previous link', async () => {
    const { userId } = await account('reset.target', [{ role: 'mediator' }])
    const first = await userPost(userId, { intent: 'issue-link' })
    const second = await userPost(userId, { intent: 'issue-link' })
    expect(await flashOf(second)).toEqual({ kind: 'success', message: 'users.link.issued' })
    const firstLink = (await userPage(userId, adminCookie, cookiePair(setCookieLine(first, 'tiaojie_setup_link')))).data.setupLink
    const secondLink = (await userPage(userId, adminCookie, cookiePair(setCookieLine(second, 'tiaojie_setup_link')))).data.setupLink
    expect(secondLink.purpose).toBe('reset')
    const tokens = await testDb().selectFrom('setup_tokens').selectAll().where('user_id', '=', userId).execute()
    expect(tokens).toHaveLength(1)
    const hashOf = (link: string) => createHash('sha256').update(link.split('/').at(-1)!).digest('hex')
    expect(tokens[0]!.token_hash).toBe(hashOf(secondLink.link))
    expect(tokens[0]!.token_hash).not.toBe(hashOf(firstLink.link))
    expect(await auditsFor(userId, 'user.link_issued')).toHaveLength(2)
  })

  it('signs an account out everywhere', async () => {
    const { userId, cookie } = await account('end.sessions', [{ role: 'mediator' }])
    const result = await userPost(userId, { intent: 'end-sessions' })
    expect(await flashOf(result)).toEqual({ kind: 'success', message: 'users.sessions.endedAll', params: { count: 1 } })
    expect(await getOptionalUser(makeRequest('/', { cookie }))).toBeNull()
  })

  it('answers 404 for an account that does not exist', async () => {
    expect((await userPage('01JD0000000000000000000000')).status).toBe(404)
    expect((await userPage('not-an-id')).status).toBe(404)
    expect((await userPost('01JD0000000000000000000000', { intent: 'issue-link' })).status).toBe(404)
  })
})

describe('sign-in locks', () => {
  async function lockAccount(username: string) {
    await testDb()
      .insertInto('sign_in_throttle')
      .values({
        key: `account:${username}`,
        failures: 6,
        locked_until: new Date(Date.now() + 2 * 60_000).toISOString(),
        bucket_milli: 0,
        updated_at: new Date().toISOString(),
      })
      .execute()
  }

  it('are listed for the security administrator, who can lift one', async () => {
    const security = await account('sec.admin', [{ role: 'security_admin' }])
    await account('locked.out', [{ role: 'mediator' }])
    await lockAccount('locked.out')
    await testDb()
      .insertInto('sign_in_throttle')
      .values({ key: 'address:198.51.100.23', failures: 0, locked_until: null, bucket_milli: 200, updated_at: new Date().toISOString() })
      .execute()
    const page = await get(locksLoader, '/admin/sign-in-locks', security.cookie)
    expect(page.status).toBe(200)
    expect(page.data.accounts).toEqual([
      expect.objectContaining({ key: 'account:locked.out', username: 'locked.out', failures: 6, minutes: 2 }),
    ])
    expect(page.data.addresses).toEqual([expect.objectContaining({ key: 'address:198.51.100.23', address: '198.51.100.23' })])

    await expect(signInAs('locked.out', PASSWORD)).rejects.toThrow(/429/)
    const lifted = await post(locksAction, '/admin/sign-in-locks', security.cookie, { key: 'account:locked.out' })
    expect(await flashOf(lifted)).toEqual({ kind: 'success', message: 'locks.lifted' })
    expect(await signInAs('locked.out', PASSWORD)).toMatch(/^tiaojie_session=/)
    const [audit] = await testDb().selectFrom('audit_log').selectAll().where('action', '=', 'auth.lock_lifted').execute()
    expect(audit).toMatchObject({ user_id: security.userId, record_type: 'sign_in_account', record_id: 'locked.out' })
    expect(navigationFor((await getOptionalUser(makeRequest('/', { cookie: security.cookie })))!).map((i) => i.to)).toContain(
      '/admin/sign-in-locks',
    )
  })

  it('are not for anyone without session:manage', async () => {
    await lockAccount('still.locked')
    for (const [username, role] of [
      ['locks.auditor', 'auditor'],
      ['locks.mediator', 'mediator'],
    ] as const) {
      const { cookie } = await account(username, [{ role }])
      expect((await get(locksLoader, '/admin/sign-in-locks', cookie)).status).toBe(403)
      expect((await post(locksAction, '/admin/sign-in-locks', cookie, { key: 'account:still.locked' })).status).toBe(403)
    }
    expect(await testDb().selectFrom('sign_in_throttle').select('key').where('key', '=', 'account:still.locked').execute()).toHaveLength(1)
  })
})
