/**
 * Lucia v3 adapter over Kysely. It stores only SHA-256(session token): a leaked sessions table
 * holds no usable session. Every method hashes the token it is given.
 *
 * Expiry is decided here, not by Lucia's half-life renewal: a session ends after
 * SESSION_IDLE_MINUTES without use or SESSION_ABSOLUTE_HOURS after sign-in, whichever is first.
 */
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia'
import type { DB } from '#app/lib/db.server.ts'

export function hashSessionToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

/** Touch last_used_at at most this often, so a busy page does not write on every request. */
const TOUCH_EVERY_MS = 60_000

export interface SessionTiming {
  idleMinutes: number
  absoluteHours: number
}

export interface NewSessionAttributes {
  ip: string | null
  userAgent: string | null
}

export class KyselySessionAdapter implements Adapter {
  constructor(
    private readonly db: () => DB,
    private readonly timing: () => SessionTiming,
  ) {}

  async getSessionAndUser(token: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const id = hashSessionToken(token)
    const row = await this.db()
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id',
        'sessions.user_id',
        'sessions.expires_at',
        'sessions.last_used_at',
        'users.username',
        'users.display_name',
        'users.status',
        'users.person_id',
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst()
    if (!row) return [null, null]
    const now = Date.now()
    const idleEnd = Date.parse(row.last_used_at) + this.timing().idleMinutes * 60_000
    const expiresAt = new Date(Math.min(idleEnd, Date.parse(row.expires_at)))
    if (expiresAt.getTime() > now && now - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
      await this.db()
        .updateTable('sessions')
        .set({ last_used_at: new Date(now).toISOString() })
        .where('id', '=', id)
        .execute()
    }
    return [
      { id: token, userId: row.user_id, expiresAt, attributes: {} },
      {
        id: row.user_id,
        attributes: {
          username: row.username,
          display_name: row.display_name,
          status: row.status,
          person_id: row.person_id,
        },
      },
    ]
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db().selectFrom('sessions').selectAll().where('user_id', '=', userId).execute()
    return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: new Date(r.expires_at), attributes: {} }))
  }

  async setSession(session: DatabaseSession): Promise<void> {
    const now = new Date().toISOString()
    const attributes = session.attributes as Partial<NewSessionAttributes>
    const absoluteEnd = new Date(Date.now() + this.timing().absoluteHours * 3600_000).toISOString()
    await this.db()
      .insertInto('sessions')
      .values({
        id: hashSessionToken(session.id),
        user_id: session.userId,
        expires_at: absoluteEnd,
        created_at: now,
        last_used_at: now,
        ip: attributes.ip ?? null,
        user_agent: attributes.userAgent?.slice(0, 255) ?? null,
        // Sessions are created only after every sign-in step, which is itself a proof of identity.
        reauthenticated_at: now,
      })
      .execute()
  }

  /** Lucia asks to extend near the end; the absolute lifetime is never extended, so this only touches. */
  async updateSessionExpiration(token: string): Promise<void> {
    await this.db()
      .updateTable('sessions')
      .set({ last_used_at: new Date().toISOString() })
      .where('id', '=', hashSessionToken(token))
      .execute()
  }

  async deleteSession(token: string): Promise<void> {
    await this.db().deleteFrom('sessions').where('id', '=', hashSessionToken(token)).execute()
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db().deleteFrom('sessions').where('user_id', '=', userId).execute()
  }

  async deleteExpiredSessions(): Promise<void> {
    const now = new Date().toISOString()
    const idleCutoff = new Date(Date.now() - this.timing().idleMinutes * 60_000).toISOString()
    await this.db()
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_used_at', '<=', idleCutoff)]))
      .execute()
  }
}
