/**
 * Two-factor sign-in on a phone (360 px) for a role where it is optional (a mediator): turning it
 * on from "my account" (codes computed here from the secret the page shows, as an authenticator
 * app would), signing out, signing in again with a code, and with a recovery code. The account is
 * made for this file, so the demo accounts other files sign in as keep signing in with a password.
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { generateHOTP } from '@oslojs/otp'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createUser } from '#tests/fixtures/factories.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const PASSWORD = 'phone-lantern-2026'
const step = () => Math.floor(Date.now() / 30_000)

/**
 * A code the server will take: this step's, or, when this step's code was already used (the
 * server refuses a replay), the next step's, which the server accepts as one step of clock drift.
 */
function codeFor(secret: string, usedStep: number): { code: string; step: number } {
  const at = Math.max(step(), usedStep + 1)
  return { code: generateHOTP(decodeBase32IgnorePadding(secret), BigInt(at), 6), step: at }
}

async function noSidewaysScrolling(page: Page): Promise<void> {
  const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
  expect(scrollWidth).toBeLessThanOrEqual(width!)
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click()
  await page.waitForURL((url) => url.pathname === '/login')
}

describe('two-factor sign-in on a phone (optional role)', () => {
  it('turns it on, then signs in with a code and with a recovery code', { timeout: 120_000 }, async () => {
    const username = `e2e.totp.${Date.now().toString(36)}`
    const { user } = await createUser(e2eDb(), { username, password: PASSWORD, roles: [{ role: 'mediator' }] })
    const page = await newPage({ viewport: 'phone' })

    await signIn(page, username, PASSWORD)
    expect(new URL(page.url()).pathname).toBe('/')
    await page.goto('/account')
    expect(await page.getByTestId('account-two-factor').textContent()).toBe('未启用')
    await page.getByRole('link', { name: '管理两步验证' }).click()
    await page.waitForURL((url) => url.pathname === '/account/two-factor')
    await page.getByText('您的角色不强制要求两步验证').waitFor()
    // Just signed in: no second password prompt before turning it on.
    await page.getByRole('button', { name: '启用两步验证' }).click()
    const secretText = await page.getByTestId('two-factor-secret').textContent()
    const secret = secretText!.replaceAll(' ', '')
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    await expect(page.getByRole('img', { name: '用于添加到身份验证器应用的二维码' }).isVisible()).resolves.toBe(true)
    await noSidewaysScrolling(page)

    // A wrong code is refused and nothing is turned on.
    await page.getByLabel('6 位验证码').fill('000000')
    await page.getByRole('button', { name: '确认并启用' }).click()
    await page.getByText('验证码不正确或已使用过').waitFor()

    const enrolment = codeFor(secret, 0)
    await page.getByLabel('6 位验证码').fill(enrolment.code)
    await page.getByRole('button', { name: '确认并启用' }).click()
    await page.getByTestId('recovery-codes').waitFor()
    const recoveryCodes = await page.getByTestId('recovery-codes').locator('li').allTextContents()
    expect(recoveryCodes).toHaveLength(10)
    expect(await page.getByTestId('two-factor-state').textContent()).toContain('已启用')
    await noSidewaysScrolling(page)
    const stored = await e2eDb().selectFrom('user_two_factor').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow()
    expect(stored.secret_enc).not.toContain(secret)

    // Signing in again: the password leads to the code, and the code to the home page.
    await signOut(page)
    await signIn(page, username, PASSWORD)
    expect(new URL(page.url()).pathname).toBe('/login/two-factor')
    await noSidewaysScrolling(page)
    expect(await e2eDb().selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toHaveLength(0)
    const second = codeFor(secret, enrolment.step)
    await page.getByLabel('6 位验证码').fill(second.code)
    await page.getByRole('button', { name: '验证并登录' }).click()
    await page.waitForURL((url) => url.pathname === '/')
    await page.goto('/account')
    expect(await page.getByTestId('account-username').textContent()).toBe(username)

    // And with a recovery code instead, which then no longer works.
    await signOut(page)
    await signIn(page, username, PASSWORD)
    await page.getByText('手机不在身边？使用恢复码登录').click()
    await page.getByLabel('恢复码').fill(recoveryCodes[0]!)
    await page.getByRole('button', { name: '使用恢复码登录' }).click()
    await page.waitForURL((url) => url.pathname === '/')
    await page.getByText('已使用一个恢复码登录，还剩 9 个').waitFor()

    await signOut(page)
    await signIn(page, username, PASSWORD)
    await page.getByText('手机不在身边？使用恢复码登录').click()
    await page.getByLabel('恢复码').fill(recoveryCodes[0]!)
    await page.getByRole('button', { name: '使用恢复码登录' }).click()
    await page.getByText('恢复码不正确或已使用过').waitFor()
    expect(new URL(page.url()).pathname).toBe('/login/two-factor')
    await noSidewaysScrolling(page)
  })
})
