/**
 * Sign-in and account administration in a real browser: each role's menu, signing out, the
 * language switch, an administrator opening an account whose owner sets their own password, and
 * the mediator's journey on a phone.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, type DemoUsername } from './accounts.ts'
import { hydrated, newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

// Menu entries of the sign-in and roles parts; other parts add their own, so each role lists
// what it must and must not see rather than the whole menu.
const MENU = {
  home: '首页',
  people: '调解员',
  orgs: '组织机构',
  users: '账号管理',
  locks: '登录锁定',
  audit: '审计日志',
  account: '我的账号',
} as const
type Entry = keyof typeof MENU
const ALL = Object.keys(MENU) as Entry[]

const MENUS: Record<DemoUsername, Entry[]> = {
  admin: ['home', 'people', 'orgs', 'users', 'locks', 'account'],
  security: ['home', 'locks', 'audit', 'account'],
  auditor: ['home', 'audit', 'account'],
  'bj.staff': ['home', 'people', 'orgs', 'account'],
  'hd.staff': ['home', 'people', 'orgs', 'account'],
  'cy.staff': ['home', 'people', 'orgs', 'account'],
  'bj.assoc': ['home', 'people', 'orgs', 'account'],
  'hd.assoc': ['home', 'people', 'orgs', 'account'],
  'org.manager': ['home', 'people', 'orgs', 'account'],
  mediator: ['home', 'account'],
  expert: ['home', 'account'],
  reviewer: ['home', 'account'],
}

/** The visible entries of the main menu (on a phone, open it first). */
async function menuLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: '主导航' })
  // Wait for the shell: right after sign-in the page may still be arriving.
  await nav.waitFor({ state: 'attached' })
  const summary = nav.locator('summary')
  if (await summary.isVisible()) await summary.click()
  return (await nav.getByRole('link').allTextContents()).map((t) => t.trim())
}

async function noSidewaysScrolling(page: Page): Promise<void> {
  const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
  expect(scrollWidth).toBeLessThanOrEqual(width!)
}

describe('each role’s menu', () => {
  it.each(Object.entries(MENUS) as [DemoUsername, Entry[]][])('%s sees its entries and no others of these', async (username, entries) => {
    const page = await newPage()
    await signIn(page, username)
    const labels = await menuLabels(page)
    for (const entry of ALL) {
      if (entries.includes(entry)) expect(labels, `${username} should see ${MENU[entry]}`).toContain(MENU[entry])
      else expect(labels, `${username} should not see ${MENU[entry]}`).not.toContain(MENU[entry])
    }
  })

  it('does not open an administration page to someone without the permission', async () => {
    const page = await newPage()
    await signIn(page, 'mediator')
    const response = await page.goto('/admin/users')
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('heading', { name: '无权访问' }).isVisible()).resolves.toBe(true)
  })
})

describe('signing out', () => {
  it('ends the session and returns to the sign-in page', async () => {
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL((url) => url.pathname === '/login')
    await expect(page.getByRole('status').textContent()).resolves.toContain('您已安全退出')
    await page.goto('/account')
    expect(new URL(page.url()).pathname).toBe('/login')
  })
})

describe('the language', () => {
  it('switches to English and back, and is remembered', async () => {
    const page = await newPage()
    await signIn(page, 'admin')
    await page.getByRole('button', { name: 'English' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    await expect(page.getByRole('navigation', { name: 'Main navigation' }).isVisible()).resolves.toBe(true)
    await expect(page.getByRole('link', { name: 'Accounts' }).first().isVisible()).resolves.toBe(true)
    const cookies = await page.context().cookies()
    expect(cookies.find((c) => c.name === 'lang')).toBeTruthy()

    // A later visit keeps English (the browser itself asks for Chinese).
    await page.goto('/admin/users')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 }).isVisible()).resolves.toBe(true)

    await page.getByRole('button', { name: '中文' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
    await expect(page.getByRole('heading', { name: '账号管理', level: 1 }).isVisible()).resolves.toBe(true)
    await page.goto('/')
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
  })

  it("downloads no whole catalog and still hydrates in the page's language", async () => {
    const page = await newPage()
    const catalogs: string[] = []
    page.on('request', (request) => {
      const name = /\/assets\/(en|zh-CN)-[\w-]{8}\.js$/.exec(request.url())?.[1]
      if (name) catalogs.push(name)
    })
    await signIn(page, 'admin')
    // Each module brings the messages it shows (docs/decisions/030-client-weight.md).
    expect(catalogs).toEqual([])

    catalogs.length = 0
    await page.getByRole('button', { name: 'English' }).click()
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    await page.getByRole('link', { name: 'Accounts' }).first().click()
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor()
    expect(catalogs).toEqual([])
  })
})

describe('opening an account', () => {
  it('an administrator creates it, copies the set-up link, and the new user sets a password and signs in', async () => {
    const username = `e2e.user${Date.now().toString(36)}`
    const admin = await newPage()
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await signIn(admin, 'admin')
    await admin.getByRole('link', { name: '账号管理' }).first().click()
    await admin.getByRole('link', { name: '新建账号' }).click()
    await admin.getByRole('heading', { name: '新建账号', level: 1 }).waitFor()
    await admin.locator('input[name="username"]').fill(username)
    await admin.locator('input[name="displayName"]').fill('测试新用户')
    await admin.locator('select[name="grants[0].role"]').selectOption('reviewer')
    // Reviewer grants are region-scoped: the region select is required.
    await admin.locator('select[name="grants[0].regionCode"]').selectOption('110108')
    await admin.getByRole('button', { name: '创建账号' }).click()
    await admin.waitForURL((url) => /^\/admin\/users\/[0-9A-Z]{26}$/.test(url.pathname))
    await expect(admin.getByRole('status').textContent()).resolves.toContain('账号已创建')

    const linkField = admin.getByTestId('setup-link')
    const link = await linkField.inputValue()
    expect(link).toMatch(/\/setup\/[A-Za-z0-9_-]{43}$/)
    await admin.getByRole('button', { name: '复制链接' }).click()
    await admin.getByRole('button', { name: '已复制' }).waitFor()
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link)

    // The link is stored only as a hash, and is shown once.
    const user = await e2eDb()
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow()
    expect(user.password_hash).toBeNull()
    await admin.reload()
    await expect(admin.getByTestId('setup-link').count()).resolves.toBe(0)

    // The new user, in their own browser.
    const newcomer = await newPage({ viewport: 'phone' })
    await newcomer.goto(link)
    await hydrated(newcomer)
    await expect(newcomer.getByTestId('setup-intro').textContent()).resolves.toContain(username)
    await newcomer.locator('input[name="password"]').fill('short')
    await newcomer.locator('input[name="confirm"]').fill('short')
    await newcomer.getByRole('button', { name: '设置密码并登录' }).click()
    await newcomer.getByText('密码至少需要 8 个字符').waitFor()
    await newcomer.locator('input[name="password"]').fill('a quiet harbour at dawn')
    await newcomer.locator('input[name="confirm"]').fill('a quiet harbour at dawn')
    await newcomer.getByRole('button', { name: '设置密码并登录' }).click()
    await newcomer.waitForURL((url) => url.pathname === '/')
    await expect(newcomer.getByRole('status').textContent()).resolves.toContain('密码已设置')
    await expect(newcomer.getByTestId('signed-in-as').textContent()).resolves.toContain('测试新用户')
    await noSidewaysScrolling(newcomer)

    // The link is spent.
    const again = await newPage()
    const response = await again.goto(link)
    expect(response?.status()).toBe(404)
    await expect(again.getByTestId('setup-invalid').isVisible()).resolves.toBe(true)

    // And the password works at the sign-in page.
    const later = await newPage()
    await signIn(later, username, 'a quiet harbour at dawn')
    await expect(later.getByTestId('signed-in-as').textContent()).resolves.toContain('测试新用户')
  })
})

describe('the mediator on a phone', () => {
  it('signs in, finds their account and sessions through the menu, and signs out', async () => {
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'mediator')
    await noSidewaysScrolling(page)
    const labels = await menuLabels(page)
    expect(labels).toEqual(expect.arrayContaining([MENU.home, MENU.account]))
    expect(labels).not.toContain(MENU.orgs)
    expect(labels).not.toContain(MENU.users)
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的账号' }).click()
    await page.waitForURL((url) => url.pathname === '/account')
    await expect(page.getByTestId('account-username').textContent()).resolves.toBe('mediator')
    await expect(page.locator('[data-testid="session-list"] li[data-current]').count()).resolves.toBe(1)
    await expect(page.locator('input[name="currentPassword"]').isVisible()).resolves.toBe(true)
    await noSidewaysScrolling(page)

    // A wrong current password is refused, on the phone too, and the demo password stays.
    await page.locator('input[name="currentPassword"]').fill('not-the-password')
    await page.locator('input[name="password"]').fill('another long password')
    await page.locator('input[name="confirm"]').fill('another long password')
    await page.getByRole('button', { name: '修改密码' }).click()
    await page.getByText('当前密码不正确').waitFor()
    await noSidewaysScrolling(page)

    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL((url) => url.pathname === '/login')
    const check = await newPage({ viewport: 'phone' })
    await signIn(check, 'mediator', DEMO_PASSWORD)
  })
})
