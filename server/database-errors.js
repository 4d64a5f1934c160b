// Telling "the database cannot be reached right now" apart from every other error, so the server
// can answer 503 with a friendly page while MariaDB restarts instead of a 500
// (docs/decisions/027-failure-behaviour.md). Plain JavaScript: server/start.js needs no compiler.

/** mysql2 and Node socket error codes that mean the connection, not the query, failed. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  // SQLite: another process held the write lock for longer than busy_timeout.
  'SQLITE_BUSY',
])

/** MariaDB numbers for the same (1053 shutdown in progress, 1927 connection killed, 2006/2013 gone). */
const UNAVAILABLE_ERRNOS = new Set([1040, 1053, 1927, 2002, 2003, 2006, 2013])

// mysql2 reports a few states only in the message, without a code.
const UNAVAILABLE_MESSAGES = [/^Pool is closed/, /connection is in closed state/i, /^Connection lost/i]

/** True when `error` (or the error it wraps) says the database is unreachable. */
export function isDatabaseUnavailable(error) {
  for (let current = error, depth = 0; current && depth < 5; current = current.cause, depth++) {
    if (typeof current !== 'object') return false
    if (typeof current.code === 'string' && UNAVAILABLE_CODES.has(current.code)) return true
    if (typeof current.errno === 'number' && UNAVAILABLE_ERRNOS.has(current.errno)) return true
    if (typeof current.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(current.message))) return true
    // Node's net layer reports a refused connection to several addresses as one AggregateError.
    if (Array.isArray(current.errors) && current.errors.some((inner) => isDatabaseUnavailable(inner))) return true
  }
  return false
}
