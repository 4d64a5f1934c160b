/**
 * /admin/settings: every registered setting is listed; an administrator changes one with the
 * version they loaded (audited with before and after); invalid values and stale versions change
 * nothing; everyone else is refused.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readSettings } from '#app/lib/settings.server.ts'
import { EXPERT_SETTINGS, readExpertSettings } from '#app/modules/experts/settings.server.ts'
import { TRAINING_SETTINGS } from '#app/modules/training/settings.server.ts'
import { action, loader } from '#app/routes/_app.admin.settings.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld, call } from '#tests/security/world.ts'
import { SETTINGS_REGISTRY } from './registry.server.ts'
import type { SettingView } from './settings.server.ts'

let world: World

interface Reply {
  key: string
  result: { status?: string; error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> }
}

async function listed(key: string): Promise<SettingView> {
  const outcome = await call(loader, '/admin/settings', { cookie: world.users.admin.cookie })
  expect(outcome.status).toBe(200)
  const { areas } = outcome.data as { areas: { area: string; settings: SettingView[] }[] }
  const found = areas.flatMap((a) => a.settings).find((s) => s.key === key)
  expect(found, key).toBeDefined()
  return found!
}

function post(form: Record<string, string>, user: keyof World['users'] = 'admin') {
  return call(action, '/admin/settings', { cookie: world.users[user].cookie, form })
}

async function auditRows(key: string) {
  return testDb()
    .selectFrom('audit_log')
    .select(['action', 'user_id', 'detail', 'result'])
    .where('action', '=', 'settings.update')
    .where('record_id', '=', key)
    .orderBy('at')
    .execute()
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

beforeAll(async () => {
  world = await buildWorld(testDb())
})

describe(`settings administration (${testDialect()})`, () => {
  it('registers every setting declared with defineSetting under app/', () => {
    const declared = sourceFiles('app')
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/defineSetting\(\s*'([^']+)'/g)].map((m) => m[1]))
      .sort()
    expect(declared.length).toBeGreaterThan(0)
    expect(SETTINGS_REGISTRY.map((s) => s.definition.key).sort()).toEqual(declared)
  })

  it('lists every setting by area with its value, default and version', async () => {
    const outcome = await call(loader, '/admin/settings', { cookie: world.users.admin.cookie })
    const { areas } = outcome.data as { areas: { area: string; settings: SettingView[] }[] }
    expect(areas.map((a) => a.area)).toEqual([
      'experts',
      'training',
      'library',
      'dashboard',
      'audit',
      'grading',
      'twoFactor',
      'webhooks',
      'directory',
      'retention',
    ])
    const age = await listed('experts.ageLimit')
    expect(age).toMatchObject({ area: 'experts', value: '70', fallback: '70', isDefault: true, version: 0, editable: true })
    expect(age.label).toBe('settings.experts.ageLimit')
    expect((await listed('library.index_version')).editable).toBe(false)
  })

  it('stores a valid value with the loaded version, audits before and after, and the area reads it', async () => {
    const key = EXPERT_SETTINGS.ageLimit.key
    const first = await post({ key, version: '0', value: '65' })
    expect(first.status).toBe(302)
    expect(first.location).toBe('/admin/settings')
    expect((await readExpertSettings(testDb())).ageLimit).toBe(65)
    const after = await listed(key)
    expect(after).toMatchObject({ value: '65', isDefault: false, version: 1 })

    const second = await post({ key, version: '1', value: '68' })
    expect(second.status).toBe(302)
    expect((await readExpertSettings(testDb())).ageLimit).toBe(68)

    const rows = await auditRows(key)
    expect(rows).toHaveLength(2)
    expect(rows.every((r) => r.user_id === world.users.admin.id && r.result === 'ok')).toBe(true)
    expect(JSON.parse(rows[0]!.detail!)).toMatchObject({ before: 70, beforeWasDefault: true, after: 65 })
    expect(JSON.parse(rows[1]!.detail!)).toMatchObject({ before: 65, beforeWasDefault: false, after: 68 })
  })

  it('accepts a decimal for a decimal setting', async () => {
    const outcome = await post({ key: TRAINING_SETTINGS.readingFactor.key, version: '0', value: '0.25' })
    expect(outcome.status).toBe(302)
    expect((await readSettings(testDb(), TRAINING_SETTINGS)).readingFactor).toBe(0.25)
  })

  it("refuses values the setting's schema refuses, keeping the input and changing nothing", async () => {
    const key = EXPERT_SETTINGS.renewalWindowDays.key
    for (const [value, message] of [
      ['1000', 'validation.max'],
      ['abc', 'validation.number'],
      ['', 'validation.required'],
      ['2.5', 'validation.invalid'],
    ] as const) {
      const outcome = await post({ key, version: '0', value })
      expect(outcome.status, value).toBe(400)
      const reply = outcome.data as Reply
      expect(reply.key).toBe(key)
      expect(reply.result.error?.value?.[0], value).toContain(message)
      if (value) expect(reply.result.initialValue?.value).toBe(value)
    }
    expect(await listed(key)).toMatchObject({ value: '60', isDefault: true, version: 0 })
    expect(await auditRows(key)).toHaveLength(0)
  })

  it('refuses a stale version and overwrites nothing', async () => {
    const key = EXPERT_SETTINGS.defaultTermYears.key
    expect((await post({ key, version: '0', value: '3' })).status).toBe(302)
    // Another administrator loaded the page before that change and saves afterwards.
    const stale = await post({ key, version: '0', value: '2' })
    expect(stale.status).toBe(409)
    const reply = stale.data as Reply
    expect(reply.result.error?.['']).toEqual(['form.staleVersion'])
    expect(reply.result.initialValue?.value).toBe('2')
    expect((await readExpertSettings(testDb())).defaultTermYears).toBe(3)
    expect((await listed(key)).version).toBe(1)

    const alsoStale = await post({ key, version: '7', value: '2' })
    expect(alsoStale.status).toBe(409)
    expect((await readExpertSettings(testDb())).defaultTermYears).toBe(3)
    expect(await auditRows(key)).toHaveLength(1)
  })

  it('refuses unknown and read-only settings', async () => {
    expect((await post({ key: 'experts.noSuchSetting', version: '0', value: '1' })).status).toBe(400)
    expect((await post({ key: 'library.index_version', version: '0', value: 'x' })).status).toBe(400)
    expect(await auditRows('library.index_version')).toHaveLength(0)
  })

  it('answers 403 to everyone but administrators, and changes nothing', async () => {
    const key = EXPERT_SETTINGS.photoMaxBytes.key
    for (const user of ['securityAdmin', 'auditor', 'bjStaff', 'hdAssoc', 'mediator', 'noGrants'] as const) {
      const page = await call(loader, '/admin/settings', { cookie: world.users[user].cookie })
      expect(page.status, user).toBe(403)
      expect(page.data).toBeNull()
      const change = await post({ key, version: '0', value: '500000' }, user)
      expect(change.status, user).toBe(403)
    }
    expect((await readExpertSettings(testDb())).photoMaxBytes).toBe(2_000_000)
    expect(await auditRows(key)).toHaveLength(0)
  })
})
