import { describe, expect, it } from 'vitest'
import { type Viewport, baseUrl, newPage } from './browser.ts'

describe('the HTTP server', () => {
  it('sends the security headers with every page', async () => {
    const response = await fetch(`${baseUrl()}/login`)
    expect(response.status).toBe(200)
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/)
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive)
    }
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('referrer-policy')).toBe('same-origin')
    expect(response.headers.get('x-powered-by')).toBeNull()
  })

  it('refuses a state change without the app’s own Origin', async () => {
    const body = new URLSearchParams({ username: 'admin', password: 'whatever-it-is' })
    const foreign = await fetch(`${baseUrl()}/login`, { method: 'POST', body, headers: { Origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    const missing = await fetch(`${baseUrl()}/login`, { method: 'POST', body })
    expect(missing.status).toBe(403)
  })
})

describe('the sign-in page', () => {
  it.each<Viewport>(['desktop', 'phone'])('works on a %s, in Chinese, without sideways scrolling', async (viewport) => {
    const page = await newPage({ viewport })
    await page.goto('/login')
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await expect(page.locator('input[name="username"]').isVisible()).resolves.toBe(true)
    await expect(page.locator('input[name="password"]').isVisible()).resolves.toBe(true)
    const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
    expect(scrollWidth).toBeLessThanOrEqual(width!)
  })

  it('answers an unknown address with a 404 page', async () => {
    const page = await newPage()
    const response = await page.goto('/no-such-page')
    expect(response?.status()).toBe(404)
  })
})
