/**
 * The partner API in the browser and over HTTP against the running server: the administrator
 * registers a court client and sees its secret exactly once; the secret works from another
 * system (no Origin, JSON body, bearer credentials) through the real HTTP layer, a browser session
 * cookie does not; the public reference page is rendered from the OpenAPI document.
 */
import { describe, expect, it } from 'vitest'
import { baseUrl, newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

describe('partner API clients', () => {
  it('the administrator registers a client, copies its secret once, and the partner calls the API with it', async () => {
    const page = await newPage()
    await signIn(page, 'admin')
    await page.locator('a[href="/admin/api-clients"]:visible').first().click()
    await page.waitForURL((url) => url.pathname === '/admin/api-clients')
    await page.getByRole('link', { name: '登记客户端' }).click()
    await page.waitForURL((url) => url.pathname === '/admin/api-clients/new')

    const name = `海淀法院诉调平台 e2e ${Date.now()}`
    await page.getByLabel('客户端名称').fill(name)
    await page.getByLabel('单位类别').selectOption('court')
    await page.getByLabel('所属地区').selectOption('110108')
    await page.getByLabel(/推送案件（诉调、警调）/).check()
    await page.getByLabel(/查询所推送案件/).check()
    await page.getByLabel('每分钟调用上限').fill('60')
    await page.getByRole('button', { name: '登记并生成密钥' }).click()
    await page.waitForURL((url) => /^\/admin\/api-clients\/[0-9A-Z]{26}$/.test(url.pathname))

    const secret = await page.getByTestId('client-secret').inputValue()
    const clientId = (await page.getByTestId('client-id').textContent())!.trim()
    expect(secret).toMatch(/^tjs_[A-Za-z0-9_-]{43}$/)
    const row = await e2eDb()
      .selectFrom('api_clients')
      .select(['name', 'secret_hash', 'scopes'])
      .where('id', '=', clientId)
      .executeTakeFirstOrThrow()
    expect(row.name).toBe(name)
    expect(row.secret_hash).not.toContain(secret)
    expect(JSON.parse(row.scopes)).toEqual(expect.arrayContaining(['cases:refer', 'cases:read', 'organisations:read']))

    // Shown once: a reload no longer carries it.
    await page.reload()
    await page.getByRole('heading', { name: '凭据' }).waitFor()
    expect(await page.getByTestId('issued-secrets').count()).toBe(0)
    expect(await page.content()).not.toContain(secret)

    // From the partner's system: no Origin header, JSON, bearer secret, through the real server.
    const api = (path: string, init: RequestInit = {}) => fetch(new URL(path, baseUrl()), init)
    const orgs = await api('/api/v1/organisations?limit=3', { headers: { Authorization: `Bearer ${secret}` } })
    expect(orgs.status).toBe(200)
    expect((await orgs.json()).data.length).toBeGreaterThan(0)
    const referral = {
      externalRef: `(2026)京0108民诉前调${Date.now()}号`,
      title: '物业服务费纠纷',
      summary: '业主以服务质量为由拒交物业费，法院诉前委派调解。',
      disputeType: '物业',
      regionCode: '110108',
      parties: [
        { kind: 'person', name: '业主甲' },
        { kind: 'organisation', name: '某物业公司' },
      ],
      deadline: '2099-06-30',
    }
    const posted = await api('/api/v1/cases', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-${Date.now()}` },
      body: JSON.stringify(referral),
    })
    expect(posted.status).toBe(201)
    const created = await posted.json()
    expect(created).toEqual(expect.objectContaining({ source: 'court', status: 'registered' }))

    // The OAuth flow works over HTTP too; a browser session cookie is worth nothing to the API.
    const token = await api('/api/v1/oauth/token', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=cases%3Aread',
    })
    expect(token.status).toBe(200)
    const { access_token: accessToken } = await token.json()
    const read = await api(`/api/v1/cases/${created.id}`, { headers: { Authorization: `Bearer ${accessToken}` } })
    expect((await read.json()).externalRef).toBe(referral.externalRef)
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
    const withCookie = await api('/api/v1/cases', { headers: { Cookie: cookies } })
    expect(withCookie.status).toBe(401)

    // Staff find the referral in the intake queue.
    await page.goto(`/cases/${created.id}`)
    await page.getByText(referral.title).first().waitFor()
  })

  it('publishes a readable reference page and the OpenAPI document without sign-in', async () => {
    const page = await newPage({ viewport: 'phone' })
    await page.goto('/api/docs')
    await page.getByRole('heading', { name: '对外数据接口文档' }).waitFor()
    expect(await page.getByTestId('api-operation').count()).toBeGreaterThanOrEqual(7)
    await page.getByText('POST /api/v1/cases').first().waitFor()
    const doc = await fetch(new URL('/api/v1/openapi.json', baseUrl()))
    expect((await doc.json()).openapi).toBe('3.1.0')
  })
})
