/** One-time messages shown after a redirect (Post/Redirect/Get), in a signed cookie. */
import { createCookieSessionStorage, redirect } from '@remix-run/node'
import { getEnv } from './env.server.ts'
import type { MessageKey } from './i18n.ts'

export interface Flash {
  kind: 'success' | 'info' | 'error'
  message: MessageKey
  params?: Record<string, string | number>
}

type FlashStorage = ReturnType<typeof createCookieSessionStorage<Record<string, never>, { flash: Flash }>>

let storage: FlashStorage | undefined
function flashStorage() {
  const env = getEnv()
  storage ??= createCookieSessionStorage<Record<string, never>, { flash: Flash }>({
    cookie: {
      name: 'tiaojie_flash',
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: env.NODE_ENV === 'production',
      secrets: [env.SESSION_SECRET],
    },
  })
  return storage
}

export async function redirectWithFlash(to: string, flash: Flash, init: { headers?: HeadersInit } = {}) {
  const session = await flashStorage().getSession()
  session.flash('flash', flash)
  const headers = new Headers(init.headers)
  headers.append('Set-Cookie', await flashStorage().commitSession(session))
  return redirect(to, { headers })
}

/** Reads and clears the flash; the returned cookie must be sent back with the response. */
export async function takeFlash(request: Request): Promise<{ flash: Flash | null; setCookie: string | null }> {
  const cookie = request.headers.get('Cookie')
  if (!cookie?.includes('tiaojie_flash=')) return { flash: null, setCookie: null }
  const session = await flashStorage().getSession(cookie)
  const flash = (session.get('flash') as Flash | undefined) ?? null
  return { flash, setCookie: await flashStorage().commitSession(session) }
}
