/**
 * Carries a freshly issued set-up link from the action that made it to the page that shows it
 * (Post/Redirect/Get), without ever writing it to the database or a log. The cookie is signed,
 * the token inside is encrypted with the data key, it is sent only to the account pages, lives
 * ten minutes at most, and is cleared the first time it is shown.
 */
import { createCookie, type Cookie } from '@remix-run/node'
import { decrypt, encrypt } from '#app/lib/crypto.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { type IssuedSetupToken, type SetupPurpose, setupLink } from './setup-tokens.server.ts'

const COOKIE_PATH = '/admin/users'

let cookie: Cookie | undefined
let builtFor: ReturnType<typeof getEnv> | undefined
function setupLinkCookie(): Cookie {
  const env = getEnv()
  if (!cookie || builtFor !== env) {
    cookie = createCookie('tiaojie_setup_link', {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: env.NODE_ENV === 'production',
      maxAge: 600,
      secrets: [env.SESSION_SECRET],
    })
    builtFor = env
  }
  return cookie
}

interface Stored {
  userId: string
  sealed: string
  purpose: SetupPurpose
  expiresAt: string
}

/** The Set-Cookie value that hands the link to the user's page. */
export async function rememberSetupLink(userId: string, issued: IssuedSetupToken): Promise<string> {
  const value: Stored = { userId, sealed: encrypt(issued.token), purpose: issued.purpose, expiresAt: issued.expiresAt }
  return setupLinkCookie().serialize(value)
}

export interface ShownSetupLink {
  link: string
  purpose: SetupPurpose
  expiresAt: string
}

/**
 * The link waiting for this user's page, if any, and the Set-Cookie value that clears it.
 * A link meant for another user stays where it is.
 */
export async function takeSetupLink(request: Request, userId: string): Promise<{ shown: ShownSetupLink | null; setCookie: string | null }> {
  const header = request.headers.get('Cookie')
  if (!header?.includes('tiaojie_setup_link=')) return { shown: null, setCookie: null }
  const stored = (await setupLinkCookie().parse(header)) as Stored | null
  if (!stored || stored.userId !== userId) return { shown: null, setCookie: null }
  const setCookie = await setupLinkCookie().serialize('', { maxAge: 0 })
  try {
    return { shown: { link: setupLink(decrypt(stored.sealed)), purpose: stored.purpose, expiresAt: stored.expiresAt }, setCookie }
  } catch {
    // Sealed with a key that has since been rotated away: nothing to show.
    return { shown: null, setCookie }
  }
}
