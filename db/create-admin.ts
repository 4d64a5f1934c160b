// `npm run create-admin -- --username NAME [--display-name 名字]`: the first administrator of a
// production installation. The account has no password; the command prints a one-time set-up
// link (valid 72 hours, usable once) through which the administrator chooses one. Only the
// SHA-256 of the link's token is stored. Without --username the command asks, in a terminal.
import { createInterface } from 'node:readline/promises'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { SETUP_TOKEN_HOURS, issueSetupToken, setupLink } from '#app/modules/auth/setup-tokens.server.ts'
import { isValidUsername, normaliseUsername } from '#app/modules/users/usernames.ts'
import { option, runDatabaseCli } from './cli-support.ts'
import { migrateToLatest } from './migrate.ts'
import { buildUser } from './seed/factories.ts'

const DEFAULT_DISPLAY_NAME = '系统管理员'

class UsernameTaken extends Error {
  constructor(username: string) {
    super(`a user named ${username} already exists; nothing changed`)
  }
}

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('pass --username NAME (there is no terminal to ask in)')
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return await rl.question(question)
  } finally {
    rl.close()
  }
}

// The environment is validated like the app's own start-up: in production the data key, session
// secret and APP_ORIGIN must be set, so the printed link points at the real site.
await runDatabaseCli('create-admin', async ({ tag, openDatabase }) => {
  const interactive = option('username') === undefined
  const username = normaliseUsername(option('username') ?? (await ask('Administrator username: ')))
  if (!isValidUsername(username)) {
    throw new Error('the username must be 3-64 lower-case letters, digits, dots, underscores or hyphens')
  }
  const typedName = option('display-name') ?? (interactive ? await ask(`Display name [${DEFAULT_DISPLAY_NAME}]: `) : '')
  const displayName = typedName.trim().slice(0, 64) || DEFAULT_DISPLAY_NAME

  const db = openDatabase({ poolSize: 1 })
  await migrateToLatest(db)
  const taken = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
  if (taken) throw new UsernameTaken(username)

  const now = nowIso()
  const { user, grants } = buildUser({ username, displayName, roles: [{ role: 'admin' }], createdAt: now }, null)
  const link = await db
    .transaction()
    .execute(async (trx) => {
      await trx.insertInto('users').values(user).execute()
      await trx.insertInto('role_grants').values(grants).execute()
      const issued = await issueSetupToken(trx, user.id, 'setup', null, Date.parse(now))
      // No request and no signed-in actor here, so the row is written directly; the detail has
      // the shape the users module gives `user.create`.
      await trx
        .insertInto('audit_log')
        .values({
          id: newId(),
          at: now,
          user_id: null,
          username: null,
          roles: null,
          scope: null,
          ip: null,
          action: 'user.create',
          record_type: 'user',
          record_id: user.id,
          result: 'ok',
          detail: JSON.stringify({
            via: 'create-admin',
            after: {
              username,
              displayName,
              personId: null,
              status: 'active',
              grants: [{ role: 'admin', regionCode: null, orgId: null }],
            },
            setupLink: { purpose: issued.purpose, expiresAt: issued.expiresAt },
          }),
        })
        .execute()
      return issued
    })
    .catch((error: unknown) => {
      // Someone created the same username between the check and the insert.
      if (isUniqueViolation(error, ['users.username', 'uq_users_username'])) throw new UsernameTaken(username)
      throw error
    })
  console.log(`${tag} created administrator ${username} (${displayName}), no password yet.`)
  console.log(`Set-up link, usable once within ${SETUP_TOKEN_HOURS} hours (until ${link.expiresAt}); give it to the administrator only:`)
  console.log(`  ${setupLink(link.token)}`)
})
