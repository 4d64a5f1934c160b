/** The data keys backups are encrypted with: the TIAOJIE_DATA_KEY keyring the app seals numbers with. */
import { parseKeyring } from '#app/lib/crypto.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import type { BackupKey } from './dump.ts'

export function backupKeys(): { current: BackupKey; byVersion: ReadonlyMap<number, Buffer> } {
  const ring = parseKeyring(getEnv().TIAOJIE_DATA_KEY)
  return { current: ring.current, byVersion: ring.byVersion }
}
