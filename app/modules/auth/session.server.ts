/**
 * The one module that knows about Lucia (upstream no longer maintains v3; the exit plan is in
 * docs/decisions/004-sessions-lucia.md). Everything else calls these functions.
 */
import { Lucia, TimeSpan } from 'lucia'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { clientAddress, userAgent } from '#app/lib/request.server.ts'
import { KyselySessionAdapter, hashSessionToken } from './session-adapter.server.ts'

interface UserAttributes {
  username: string
  display_name: string
  status: 'active' | 'disabled'
  person_id: string | null
}

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<Record<never, never>, UserAttributes>
    DatabaseUserAttributes: UserAttributes
  }
}

function createLucia(): Lucia<Record<never, never>, UserAttributes> {
  const env = getEnv()
  const production = env.NODE_ENV === 'production'
  return new Lucia(
    new KyselySessionAdapter(getDb, () => {
      const e = getEnv()
      return { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS }
    }),
    {
      // Lucia renews a session when less than half of this is left; the adapter then only
      // touches last_used_at, and itself applies the idle and absolute limits.
      sessionExpiresIn: new TimeSpan(env.SESSION_IDLE_MINUTES, 'm'),
      sessionCookie: {
        // __Host- forbids Domain and requires Secure and Path=/: only possible over HTTPS.
        name: production ? '__Host-tiaojie_session' : 'tiaojie_session',
        // Lucia then gives the cookie a long Max-Age; validity is decided on the server alone
        // (idle and absolute limits), so a stale cookie is worthless.
        expires: false,
        attributes: { secure: production, sameSite: 'lax' },
      },
      getUserAttributes: (a) => a,
    },
  )
}

let lucia: Lucia<Record<never, never>, UserAttributes> | undefined
let builtFor: ReturnType<typeof getEnv> | undefined
/** Rebuilt when the environment is re-read (resetEnvCache in tests), so cookie settings follow it. */
function getLucia() {
  const env = getEnv()
  if (!lucia || builtFor !== env) {
    lucia = createLucia()
    builtFor = env
  }
  return lucia
}

export interface SessionUser {
  id: string
  username: string
  displayName: string
  status: 'active' | 'disabled'
  personId: string | null
}

export interface CurrentSession {
  token: string
  /** The stored id (hash), used to list and end sessions without exposing tokens. */
  handle: string
  user: SessionUser
}

/** The session token the request's cookie carries, unchecked (null without one). */
export function sessionTokenOf(request: Request): string | null {
  return getLucia().readSessionCookie(request.headers.get('Cookie') ?? '')
}

export async function readSession(request: Request): Promise<CurrentSession | null> {
  const l = getLucia()
  const token = l.readSessionCookie(request.headers.get('Cookie') ?? '')
  if (!token) return null
  const { session, user } = await l.validateSession(token)
  if (!session || !user) return null
  return {
    token,
    handle: hashSessionToken(token),
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      status: user.status,
      personId: user.person_id,
    },
  }
}

/** Starts a new session and returns its Set-Cookie value. Any session the request carried is ended first. */
export async function startSession(request: Request, userId: string): Promise<string> {
  const l = getLucia()
  const previous = l.readSessionCookie(request.headers.get('Cookie') ?? '')
  if (previous) await l.invalidateSession(previous)
  const session = await l.createSession(userId, { ip: clientAddress(request), userAgent: userAgent(request) } as never)
  return l.createSessionCookie(session.id).serialize()
}

export async function endSession(token: string): Promise<string> {
  const l = getLucia()
  await l.invalidateSession(token)
  return l.createBlankSessionCookie().serialize()
}

export function blankSessionCookie(): string {
  return getLucia().createBlankSessionCookie().serialize()
}

export async function endAllSessions(userId: string): Promise<void> {
  await getLucia().invalidateUserSessions(userId)
}

export async function deleteExpiredSessions(): Promise<void> {
  await getLucia().deleteExpiredSessions()
}
