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
