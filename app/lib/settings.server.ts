/**
 * Configurable defaults (domain.md: "every number is a configurable default, not a constant in
 * code"). Each setting is declared once with its key, a zod schema and a typed default; the
 * `settings` table overrides the default when it holds a valid value. An invalid stored value
 * falls back to the default rather than breaking every page that reads it.
 */
import type { z } from 'zod'
import type { Executor } from './db.server.ts'
import { nowIso } from './time.ts'

export interface SettingDefinition<T> {
  key: string
  schema: z.ZodType<T>
  fallback: T
}

export function defineSetting<T>(key: string, schema: z.ZodType<T>, fallback: T): SettingDefinition<T> {
  return { key, schema, fallback }
}

type Values<D extends Record<string, SettingDefinition<unknown>>> = { [K in keyof D]: D[K]['fallback'] }

function parseStored<T>(definition: SettingDefinition<T>, stored: string | undefined): T {
  if (stored === undefined) return definition.fallback
  try {
    const parsed = definition.schema.safeParse(JSON.parse(stored))
    return parsed.success ? parsed.data : definition.fallback
  } catch {
    return definition.fallback
  }
}

/** Reads a group of settings in one query. */
export async function readSettings<D extends Record<string, SettingDefinition<unknown>>>(db: Executor, definitions: D): Promise<Values<D>> {
  const keys = Object.values(definitions).map((d) => d.key)
  const rows = keys.length ? await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute() : []
  const stored = new Map(rows.map((r) => [r.key, r.value]))
  const values = {} as Record<string, unknown>
  for (const [name, definition] of Object.entries(definitions)) values[name] = parseStored(definition, stored.get(definition.key))
  return values as Values<D>
}

/** Stores a setting (validated against its schema), creating the row when it is missing. */
export async function writeSetting<T>(db: Executor, definition: SettingDefinition<T>, value: T, userId: string | null): Promise<void> {
  const checked = definition.schema.parse(value)
  const json = JSON.stringify(checked)
  const now = nowIso()
  const updated = await db
    .updateTable('settings')
    .set((eb) => ({ value: json, updated_at: now, updated_by: userId, version: eb('version', '+', 1) }))
    .where('key', '=', definition.key)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('settings').values({ key: definition.key, value: json, version: 1, updated_at: now, updated_by: userId }).execute()
  }
}
