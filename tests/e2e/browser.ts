/**
 * Chromium for end-to-end tests, driven by playwright-core (Debian's /usr/bin/chromium, never a
 * downloaded browser). One browser per test file, a fresh context (cookies, storage) per page.
 *
 * Every page is watched: console errors, uncaught exceptions, same-origin assets answering 4xx/5xx,
 * any same-origin 5xx, and same-origin requests that fail fail the test (tests/e2e/setup.ts checks
 * after each test). A test that provokes one on purpose says so with `allowPageProblems`.
 */
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core'
import { inject } from 'vitest'
import { DEMO_PASSWORD } from './accounts.ts'
import { chromiumInstalled, chromiumPath } from './environment.ts'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export type Viewport = 'desktop' | 'phone'

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false },
  phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const

/** Resource types whose 4xx answers are bugs: the page asked for something the app should have. */
const ASSET_TYPES = new Set(['script', 'stylesheet', 'image', 'font', 'media', 'manifest', 'texttrack'])

interface WatchedPage {
  context: BrowserContext
  problems: string[]
  allowed: RegExp[]
}

let browser: Promise<Browser> | undefined
const watched = new Map<Page, WatchedPage>()

export function baseUrl(): string {
  return inject('e2eBaseUrl')
}

function launch(): Promise<Browser> {
  if (!chromiumInstalled()) throw new Error(`Chromium is not installed at ${chromiumPath()} (set CHROMIUM_PATH)`)
  // launch() gives every browser a fresh temporary profile and deletes it on close.
  browser ??= chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS })
  return browser
}

function watch(page: Page, record: WatchedPage): void {
  const origin = new URL(baseUrl()).origin
  const sameOrigin = (url: string) => url.startsWith(`${origin}/`) || url === origin
  const requested = new Set<string>()
  const note = (problem: string) => record.problems.push(problem)

  page.on('request', (request) => requested.add(request.url()))
  page.on('pageerror', (error) => note(`uncaught exception: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const url = message.location().url
    // Chromium logs every 4xx/5xx load as a console error. Loads the page made itself are judged by
    // their response below; the rest (such as the favicon) count here.
    if (message.text().startsWith('Failed to load resource') && requested.has(url)) return
    note(`console error: ${message.text()}${url ? ` (${url})` : ''}`)
  })
  page.on('response', (response) => {
    const status = response.status()
    if (status < 400 || !sameOrigin(response.url())) return
    const type = response.request().resourceType()
    if (status >= 500 || ASSET_TYPES.has(type)) note(`HTTP ${status} for ${type} ${response.url()}`)
  })
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed'
    // Aborted loads are what navigating away does to requests in flight; not a fault of the app.
    if (!sameOrigin(request.url()) || reason === 'net::ERR_ABORTED') return
    note(`request failed (${reason}): ${request.resourceType()} ${request.url()}`)
  })
}

export interface NewPageOptions {
  viewport?: Viewport
  /** The browser's language (Accept-Language and navigator.language); zh-CN unless testing English. */
  locale?: string
}

/** A page in a fresh browser context (no cookies), with relative URLs resolved against the e2e server. */
export async function newPage({ viewport = 'desktop', locale = 'zh-CN' }: NewPageOptions = {}): Promise<Page> {
  const context = await (await launch()).newContext({
    ...VIEWPORTS[viewport],
    baseURL: baseUrl(),
    locale,
    timezoneId: 'Asia/Shanghai',
  })
  const page = await context.newPage()
  const record: WatchedPage = { context, problems: [], allowed: [] }
  watch(page, record)
  watched.set(page, record)
  return page
}

/** Lets this page have the problems matching `pattern` (all when omitted) without failing the test. */
export function allowPageProblems(page: Page, pattern: RegExp = /[\s\S]*/): void {
  const record = watched.get(page)
  if (!record) throw new Error('allowPageProblems: this page was not made by newPage()')
  record.allowed.push(pattern)
}

/**
 * Waits until React has hydrated the page (Remix creates its router while hydrating, and the
 * hydration commits in the same task). Before that, a click submits the form natively; for the
 * steps that check what the client does, wait first.
 */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => '__remixRouter' in window)
}

/** Signs in through the login form and checks the app let the user in (left /login). */
export async function signIn(page: Page, username: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login')
  await page.locator('input[name="username"]').fill(username)
  const passwordField = page.locator('input[name="password"]')
  await passwordField.fill(password)
  const answer = page.waitForResponse(
    (response) => response.request().method() === 'POST' && new URL(response.url()).pathname.startsWith('/login'),
  )
  await passwordField.press('Enter')
  const refused = (await answer).status() >= 400
  if (!refused) {
    const left = await page
      .waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 })
      .then(() => true)
      .catch(() => false)
    if (left) return
  }
  await page
    .locator('[role="alert"]')
    .first()
    .waitFor({ timeout: 2_000 })
    .catch(() => undefined)
  const alerts = (await page.locator('[role="alert"]').allTextContents()).map((t) => t.trim()).filter(Boolean)
  throw new Error(`signIn(${username}) stayed on /login${alerts.length ? `: ${alerts.join(' | ')}` : ''}`)
}

/** Closes this test's pages and returns the problems they had that the test did not allow. */
export async function closePages(): Promise<string[]> {
  const problems: string[] = []
  for (const [page, record] of watched) {
    const unexpected = record.problems.filter((p) => !record.allowed.some((pattern) => pattern.test(p)))
    problems.push(...unexpected.map((p) => `${page.url()}: ${p}`))
    await record.context.close()
  }
  watched.clear()
  return problems
}

export async function closeBrowser(): Promise<void> {
  const current = browser
  browser = undefined
  if (current) await (await current).close()
}
