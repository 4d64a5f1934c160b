/**
 * Reading and changing settings for the administration page. Areas keep reading their own
 * settings through `readSettings`; this module only lists them with their stored rows and writes
 * one at a time, with the row's `version` for concurrent edits, audited as `settings.update`.
 */
import type { AuditActor } from '#app/lib/audit.server.ts'
import { audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { forgetCachedSettings } from './cached.server.ts'
import { type RegisteredSetting, SETTINGS_REGISTRY, type SettingArea } from './registry.server.ts'

export interface SettingView {
  key: string
  area: SettingArea
  label: RegisteredSetting['label']
  help: RegisteredSetting['help']
  input: RegisteredSetting['input']
  editable: boolean
  /** The value in force: the stored one when valid, otherwise the default. */
  value: string
  fallback: string
  /** True when no valid stored value overrides the default. */
  isDefault: boolean
  /** The row's version, 0 when nothing is stored yet. */
  version: number
  updatedAt: string | null
  updatedBy: string | null
}

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** The stored value when it parses and passes the schema, else undefined. */
function storedValue(setting: RegisteredSetting, stored: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (stored === undefined) return { ok: false }
  try {
    const parsed = setting.definition.schema.safeParse(JSON.parse(stored))
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false }
  } catch {
    return { ok: false }
  }
}

export async function listSettings(db: Executor): Promise<SettingView[]> {
  const keys = SETTINGS_REGISTRY.map((s) => s.definition.key)
  const rows = await db
    .selectFrom('settings as s')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select(['s.key', 's.value', 's.version', 's.updated_at', 'u.display_name'])
    .where('s.key', 'in', keys)
    .execute()
  const byKey = new Map(rows.map((r) => [r.key, r]))
  return SETTINGS_REGISTRY.map((setting) => {
    const row = byKey.get(setting.definition.key)
    const stored = storedValue(setting, row?.value)
    return {
      key: setting.definition.key,
      area: setting.area,
      label: setting.label,
      help: setting.help,
      input: setting.input,
      editable: setting.editable,
      value: display(stored.ok ? stored.value : setting.definition.fallback),
      fallback: display(setting.definition.fallback),
      isDefault: !stored.ok,
      version: row ? Number(row.version) : 0,
      updatedAt: row?.updated_at ?? null,
      updatedBy: row?.display_name ?? null,
    }
  })
}

export interface WriteContext {
  request: Request
  actor: AuditActor
  userId: string
}

/**
 * Stores a value already checked against the setting's schema, if the row is still at the version
 * the form was loaded with (0: no row yet). 'stale' when someone else changed it meanwhile.
 */
export async function updateSetting(
  db: DB,
  ctx: WriteContext,
  setting: RegisteredSetting,
  value: unknown,
  version: number,
): Promise<'updated' | 'stale'> {
  const checked = setting.definition.schema.parse(value)
  const key = setting.definition.key
  const json = JSON.stringify(checked)
  const outcome = await db.transaction().execute(async (trx): Promise<'updated' | 'stale'> => {
    const row = await trx.selectFrom('settings').select(['value', 'version']).where('key', '=', key).executeTakeFirst()
    if ((row ? Number(row.version) : 0) !== version) return 'stale'
    const before = storedValue(setting, row?.value)
    const now = nowIso()
    if (row) {
      const updated = await trx
        .updateTable('settings')
        .set((eb) => ({ value: json, updated_at: now, updated_by: ctx.userId, version: eb('version', '+', 1) }))
        .where('key', '=', key)
        .where('version', '=', version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) === 0) return 'stale'
    } else {
      try {
        await trx.insertInto('settings').values({ key, value: json, version: 1, updated_at: now, updated_by: ctx.userId }).execute()
      } catch {
        // Another administrator stored the first value between our read and this insert.
        return 'stale'
      }
    }
    await audit(trx, ctx.request, ctx.actor, {
      action: 'settings.update',
      recordType: 'setting',
      recordId: key,
      detail: { before: before.ok ? before.value : setting.definition.fallback, beforeWasDefault: !before.ok, after: checked },
    })
    return 'updated'
  })
  // Pages of this process show the new value from the next request (cached.server.ts).
  if (outcome === 'updated') forgetCachedSettings()
  return outcome
}
