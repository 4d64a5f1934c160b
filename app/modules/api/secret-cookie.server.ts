/**
 * Carries a freshly issued client secret (and webhook signing secret) from the action that made it
 * to the client's page (Post/Redirect/Get) without writing it to the database or a log: a signed
 * cookie, the secrets inside encrypted with the data key, sent only to /admin/api-clients, living
 * ten minutes at most and cleared the first time the page shows it. Like the set-up links of
 * app/modules/auth/setup-link-cookie.server.ts.
 */
import { type Cookie, createCookie } from '@remix-run/node'
import { decrypt, encrypt } from '#app/lib/crypto.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import type { IssuedSecrets } from './clients.server.ts'

let cookie: Cookie | undefined
let builtFor: ReturnType<typeof getEnv> | undefined
function secretCookie(): Cookie {
  const env = getEnv()
  if (!cookie || builtFor !== env) {
    cookie = createCookie('tiaojie_api_secret', {
      path: '/admin/api-clients',
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
  clientId: string
  secret: string | null
  webhookSecret: string | null
}

export async function rememberIssuedSecrets(clientId: string, issued: IssuedSecrets): Promise<string> {
  const value: Stored = {
    clientId,
    secret: issued.secret ? encrypt(issued.secret) : null,
    webhookSecret: issued.webhookSecret ? encrypt(issued.webhookSecret) : null,
  }
  return secretCookie().serialize(value)
}

/** The secrets waiting for this client's page, once, and the Set-Cookie value that clears them. */
export async function takeIssuedSecrets(
  request: Request,
  clientId: string,
): Promise<{ shown: IssuedSecrets | null; setCookie: string | null }> {
  const header = request.headers.get('Cookie')
  if (!header?.includes('tiaojie_api_secret=')) return { shown: null, setCookie: null }
  const stored = (await secretCookie().parse(header)) as Stored | null
  if (!stored || stored.clientId !== clientId) return { shown: null, setCookie: null }
  const setCookie = await secretCookie().serialize('', { maxAge: 0 })
  try {
    return {
      shown: {
        ...(stored.secret ? { secret: decrypt(stored.secret) } : {}),
        ...(stored.webhookSecret ? { webhookSecret: decrypt(stored.webhookSecret) } : {}),
      },
      setCookie,
    }
  } catch {
    // Sealed with a key rotated away since: nothing to show.
    return { shown: null, setCookie }
  }
}
