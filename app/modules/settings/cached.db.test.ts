/**
 * Settings cached for display: one query per process and window, the stored value after the
 * window, and at once after an administrator saves a change on this process.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { writeSetting } from '#app/lib/settings.server.ts'
import { EXPERT_SETTINGS, readExpertSettingsForDisplay } from '#app/modules/experts/settings.server.ts'
import { action } from '#app/routes/_app.admin.settings.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { countQueries } from '#tests/fixtures/query-count.ts'
import { type World, buildWorld, call } from '#tests/security/world.ts'
import { SETTINGS_CACHE_MS, forgetCachedSettings } from './cached.server.ts'

let world: World

beforeAll(async () => {
  world = await buildWorld(testDb())
})

describe(`settings cached for display (${testDialect()})`, () => {
  it('reads once per window and the stored value after it', async () => {
    forgetCachedSettings()
    const start = Date.now()
    const first = await countQueries(testDb(), () => readExpertSettingsForDisplay(testDb(), start))
    expect(first.queries).toHaveLength(1)
    expect(first.result.renewalWindowDays).toBe(EXPERT_SETTINGS.renewalWindowDays.fallback)

    // Stored behind this process's back (another app server, say).
    await writeSetting(testDb(), EXPERT_SETTINGS.renewalWindowDays, 90, null)
    const within = await countQueries(testDb(), () => readExpertSettingsForDisplay(testDb(), start + SETTINGS_CACHE_MS - 1))
    expect(within.queries).toHaveLength(0)
    expect(within.result.renewalWindowDays).toBe(EXPERT_SETTINGS.renewalWindowDays.fallback)

    const after = await readExpertSettingsForDisplay(testDb(), start + SETTINGS_CACHE_MS)
    expect(after.renewalWindowDays).toBe(90)
  })

  it('shows a change saved on the administration page from the next read', async () => {
    const key = EXPERT_SETTINGS.ageLimit.key
    const before = await readExpertSettingsForDisplay(testDb())
    expect(before.ageLimit).toBe(EXPERT_SETTINGS.ageLimit.fallback)
    const saved = await call(action, '/admin/settings', { cookie: world.users.admin.cookie, form: { key, version: '0', value: '66' } })
    expect(saved.status).toBe(302)
    expect((await readExpertSettingsForDisplay(testDb())).ageLimit).toBe(66)
  })
})
