// Request-level protections of server/security.js, checked against the running server.
import { describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from './accounts.ts'
import { baseUrl } from './browser.ts'

const origin = () => new URL(baseUrl()).origin

async function signInCookie(username: string): Promise<string> {
  const response = await fetch(`${baseUrl()}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password: DEMO_PASSWORD, redirectTo: '/' }),
  })
  expect(response.status).toBe(302)
  const cookie = response.headers.getSetCookie().find((c) => /tiaojie_session=/.test(c))
  expect(cookie).toBeDefined()
  return cookie!.split(';')[0]!
}

describe('request bodies', () => {
  it('refuses a body larger than the limit with 413, before the app reads it', async () => {
    const response = await fetch(`${baseUrl()}/login`, {
      method: 'POST',
      headers: { Origin: origin(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `username=${'a'.repeat(1_100_000)}`,
    })
    expect(response.status).toBe(413)
    expect(await response.text()).toContain('超过了允许的大小')
  })

  it('refuses a JSON body with 415 and a clear message instead of a server error', async () => {
    const response = await fetch(`${baseUrl()}/login`, {
      method: 'POST',
      headers: { Origin: origin(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'x' }),
    })
    expect(response.status).toBe(415)
    expect(await response.text()).toContain('不支持的提交格式')
  })
})

describe('caching and addresses', () => {
  it('marks every response to a signed-in browser no-store', async () => {
    const cookie = await signInCookie('hd.staff')
    const response = await fetch(`${baseUrl()}/people`, { headers: { Cookie: cookie } })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('answers malformed record ids in URLs with 404, never a server error', async () => {
    const cookie = await signInCookie('hd.staff')
    for (const path of ['/people/not-an-id', "/orgs/1'%20or%201=1", '/experts/%E0%A4%A', '/people/' + 'x'.repeat(500)]) {
      const response = await fetch(`${baseUrl()}${path}`, { headers: { Cookie: cookie } })
      expect([400, 404]).toContain(response.status)
      expect(await response.text()).not.toMatch(/at .*\.(js|ts):\d+/)
    }
  })
})
