/**
 * What every background export kind is made of (its contract with the runner, the routes and the
 * download), and the two helpers kinds share. Kinds live one per file beside this one and are
 * registered in ../exports.server.ts; they import from here, never from the registry, so no
 * module imports the registry back (an import cycle would leave a kind undefined when a kind's
 * file is loaded first).
 */
import type { DB } from '#app/lib/db.server.ts'
import { type MessageKey, translate } from '#app/lib/i18n.ts'
import type { AuthUser } from '#app/modules/auth/authz.server.ts'
import type { Permission } from '#app/modules/auth/policy.ts'
import type { JobKind, JobParams } from '../kinds.ts'
import type { SheetValue, StreamSheetSpec } from '../xlsx-stream.server.ts'

/** An export ready to stream: its sheet, its rows batch by batch, and what its audit records. */
export interface PreparedExport {
  sheet: StreamSheetSpec
  fileName: string
  /** Rows the filter matches (known before the first batch, or after it). */
  total(): number | null
  batches(batchSize: number): AsyncGenerator<SheetValue[][]>
  /** The audit event's detail at download: filter, count, full, revealed (never a number). */
  detail(): Record<string, unknown>
}

export interface ExportKind<K extends JobKind> {
  kind: K
  /** The list page the export belongs to (the back link of the job's page). */
  listPath: string
  /** Where the list's export button posts (with the list's query) to start the job. */
  startPath: string
  audit: { action: string; recordType: string }
  /** The one record an export is of, when it is of one (its download then shows in that record's history). */
  auditRecord?(params: JobParams<K>): { recordType: string; recordId: string } | null
  /** The parameters of an export started from the list's URL (the list's own parser validates them). */
  paramsFromUrl(url: URL, full: boolean): JobParams<K>
  /** The permission the full variant needs, if the kind has one. */
  revealPermission: Permission | null
  /** May this user run and download it now (grants change; checked again by the worker and at download)? */
  allowed(user: AuthUser, params: JobParams<K>): boolean
  prepare(db: DB, user: AuthUser, params: JobParams<K>): Promise<PreparedExport>
}

/** The filter as audited: what narrows the list, without sort and empty values. */
export function narrowing(params: Record<string, unknown>): Record<string, unknown> {
  const { sort: _sort, dir: _dir, full: _full, ...rest } = params
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== '' && v !== undefined && v !== false))
}

/** The parameters as the list's URL query, so the list's own parser reads them back. */
export function searchOf(params: Record<string, unknown>): URL {
  const url = new URL('http://export.invalid/')
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '' || value === false || key === 'full') continue
    url.searchParams.set(key, value === true ? '1' : String(value))
  }
  return url
}

/** Sheet text in Chinese, whatever the page's language: the files are for the bureau's records. */
export const zh = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key as MessageKey, params)
