import { describe, expect, it } from 'vitest'
import { DEMO_USERNAMES } from './accounts.ts'
import { newPage, signIn } from './browser.ts'

describe('signing in', () => {
  it.each(DEMO_USERNAMES)('lets the demo account %s in with the demo password', async (username) => {
    const page = await newPage()
    await signIn(page, username)
    expect(new URL(page.url()).pathname).toBe('/')
  })

  it('keeps someone with a wrong password on /login and says why', async () => {
    const page = await newPage({ viewport: 'phone' })
    await expect(signIn(page, 'admin', 'not-the-password')).rejects.toThrow(/stayed on \/login: \S/)
  })

  it('sends a signed-out visitor to /login, remembering where they were going', async () => {
    const page = await newPage()
    await page.goto('/')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/')
  })
})
