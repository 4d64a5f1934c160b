/**
 * Recognising a unique-key violation on either dialect, so a race that slips past a pre-check
 * becomes a validation message instead of a 500. SQLite names the column
 * (`UNIQUE constraint failed: people.id_number_hash`), MySQL/MariaDB the key
 * (`Duplicate entry '…' for key 'uq_people_id_number_hash'`): pass both as hints.
 */
export function isUniqueViolation(error: unknown, hints: readonly string[]): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  const unique = code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY'
  return unique && hints.some((hint) => error.message.includes(hint))
}
