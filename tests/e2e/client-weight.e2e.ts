/**
 * Client weight (issue 10, item 4; docs/decisions/030-client-weight.md): every route's JavaScript
 * (entry, route modules from the root down, the chunks they import statically, with the messages
 * those modules register) at most 150 KB gzipped. Runs in the e2e suite because the e2e set-up has
 * just built the app (tests/e2e/global-setup.ts).
 *
 * The weight holds only while pages get by with the messages their modules register: a page that
 * needs a key no module names falls back to the language's whole catalog (about 45 KB gzipped,
 * lib/catalogs.client.ts). The browser tests below open the pages of the navigation as several
 * roles, by a full load and by a client-side navigation, and fail on any such fallback.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  CLIENT_MANIFEST,
  ROUTE_BUDGET_KB,
  catalogChunks,
  kb,
  readManifest,
  routeWeights,
  weightTable,
} from '../../bench/lib/client-weight.ts'
import type { DemoUsername } from './accounts.ts'
import { hydrated, newPage, signIn } from './browser.ts'

function manifest() {
  const found = readManifest()
  expect(found, `${CLIENT_MANIFEST} is missing: the e2e set-up builds the app first`).not.toBeNull()
  return found!
}

function weights() {
  const all = routeWeights(manifest())
  // Every page route is measured (a manifest without routes would make these tests vacuous).
  expect(all.length).toBeGreaterThan(20)
  expect(all.some((w) => w.route === 'routes/_app.people._index')).toBe(true)
  return all
}

describe('client weight per route', () => {
  it(`keeps every route at or under ${ROUTE_BUDGET_KB} KB of gzipped JavaScript`, () => {
    const over = weights().filter((w) => kb(w.gzipBytes) > ROUTE_BUDGET_KB)
    expect(over, `routes over ${ROUTE_BUDGET_KB} KB:\n${weightTable(over)}`).toEqual([])
  })

  it('loads no route with a whole message catalog', () => {
    const whole = new Set(catalogChunks())
    // Both languages' catalogs are built (the fallback), and no route imports either up front.
    expect(whole.size).toBe(2)
    const { entry, routes } = manifest()
    const upFront = [entry, ...Object.values(routes)].flatMap((m) => [m.module, ...(m.imports ?? [])]).filter((url) => whole.has(url))
    expect(upFront).toEqual([])
  })
})

/** Pages that asked for a whole catalog, and the keys they missed (the console warning names them). */
function watchFallbacks(page: Page): string[] {
  const fallbacks: string[] = []
  page.on('request', (request) => {
    if (/\/assets\/(?:en|zh-CN)-[\w-]{8}\.js$/.test(request.url())) fallbacks.push(`${page.url()}: loaded ${request.url()}`)
  })
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('catalog:')) fallbacks.push(`${page.url()}: ${message.text()}`)
  })
  return fallbacks
}

/** The app's own links in the navigation, and from each such page its first link one level deeper. */
async function navLinks(page: Page): Promise<string[]> {
  const hrefs = await page.locator('nav a[href^="/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  return [...new Set(hrefs.filter((href) => href !== '/logout'))]
}

async function deeperLink(page: Page, from: string): Promise<string | null> {
  const hrefs = await page.locator('main a[href^="/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  const base = from.replace(/\/$/, '')
  return hrefs.find((href) => href.startsWith(`${base}/`) && !href.includes('export') && !/\.(?:csv|xlsx|pdf)$/.test(href)) ?? null
}

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { navigation: { state: string } } } }).__remixRouter
    return router?.state.navigation.state === 'idle'
  })
  await page.waitForLoadState('networkidle')
}

async function visitAll(username: DemoUsername, locale = 'zh-CN'): Promise<{ visited: string[]; fallbacks: string[] }> {
  const page = await newPage({ locale })
  const fallbacks = watchFallbacks(page)
  await signIn(page, username)
  await page.goto('/')
  await hydrated(page)
  const visited: string[] = []
  for (const href of await navLinks(page)) {
    // A full load: the page hydrates with the messages its modules registered.
    await page.goto(href)
    await hydrated(page)
    await settled(page)
    visited.push(href)
    const deeper = await deeperLink(page, new URL(page.url()).pathname)
    if (!deeper) continue
    // A client-side navigation: the next route's messages come with its modules.
    await page.evaluate(
      (to) => (window as unknown as { __remixRouter: { navigate: (to: string) => Promise<void> } }).__remixRouter.navigate(to),
      deeper,
    )
    await settled(page)
    visited.push(deeper)
  }
  return { visited, fallbacks }
}

describe('each page brings the messages it shows', () => {
  it.each<[DemoUsername, string]>([
    ['admin', 'zh-CN'],
    ['bj.staff', 'zh-CN'],
    ['bj.assoc', 'zh-CN'],
    ['org.manager', 'zh-CN'],
    ['mediator', 'zh-CN'],
    ['expert', 'en'],
    ['reviewer', 'zh-CN'],
  ])(
    '%s (%s): no page of the navigation, or one level below it, needs the whole catalog',
    { timeout: 180_000 },
    async (username, locale) => {
      const { visited, fallbacks } = await visitAll(username, locale)
      expect(visited.length).toBeGreaterThan(2)
      expect(fallbacks).toEqual([])
    },
  )
})

describe('keys that arrive as action data', () => {
  it('the matching-config page shows the validator’s message at once, without the whole catalog', { timeout: 60_000 }, async () => {
    // The message comes from matching/config.ts, which the route reaches only through its action's
    // .server import (two imports deep): the build registers it with the route.
    const page = await newPage()
    const fallbacks = watchFallbacks(page)
    await signIn(page, 'bj.staff')
    await page.goto('/cases/matching-config')
    await hydrated(page)
    // Refused by the server (the browser would stop 1.5 first), so nothing is saved.
    await page.locator('input[name="proximity.byLevelsUp.0"]').fill('1.5')
    await page.locator('form[action="/cases/matching-config"]').evaluate((form) => {
      ;(form as HTMLFormElement).noValidate = true
    })
    await page.getByRole('button', { name: '保存为新版本' }).click()
    const alert = page.locator('[data-testid="config-problems"]')
    await alert.waitFor()
    expect(await alert.textContent()).toContain('同一区县')
    expect(await alert.textContent()).not.toContain('填写的内容无效')
    await settled(page)
    expect(fallbacks).toEqual([])
  })
})
