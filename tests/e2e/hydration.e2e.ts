/**
 * Input that arrives while the page hydrates. React 18 hydrates synchronously inside a click or
 * keypress on a page it has not hydrated yet; Remix (single fetch) first decodes the loader data
 * embedded in the page, asynchronously. entry.client waits for that decoding before hydrating
 * (lib/server-state.client.ts); without it, such a click made React abandon the root (error 345)
 * and the page never became interactive (seen as lost sign-in and set-up submissions in e2e runs).
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from './accounts.ts'
import { hydrated, newPage } from './browser.ts'

/** Clicks the page in the microtask right after React attaches its listeners, before it renders anything. */
async function clickAsHydrationStarts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const add = EventTarget.prototype.addEventListener
    let clicked = false
    EventTarget.prototype.addEventListener = function (this: EventTarget, ...args: Parameters<EventTarget['addEventListener']>) {
      add.apply(this, args)
      if (clicked || this !== document || args[0] !== 'click') return
      clicked = true
      queueMicrotask(() => document.body.dispatchEvent(new MouseEvent('click', { bubbles: true })))
    }
  })
}

describe('a click while the page hydrates', () => {
  it('does not stop the page from hydrating, and the form then works in the browser', async () => {
    const page = await newPage()
    await clickAsHydrationStarts(page)
    await page.goto('/login')
    await hydrated(page)
    await page.locator('input[name="username"]').fill('mediator')
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    // Hydrated: the sign-in is a client-side submission (a fetch), not a document POST.
    const post = page.waitForRequest((request) => request.method() === 'POST')
    await page.locator('input[name="password"]').press('Enter')
    expect((await post).resourceType()).toBe('fetch')
    await page.waitForURL((url) => url.pathname !== '/login')
    await page.getByRole('button', { name: '退出登录' }).waitFor()
  })
})
