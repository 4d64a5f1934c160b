/**
 * Runs before every unit and database test file: a fixed, offline environment. Database test
 * files get their own DATABASE_URL from tests/setup/db.ts, which runs after this file.
 */
import { TEST_DATA_KEY, TEST_ORIGIN, TEST_SESSION_SECRET } from '#tests/fixtures/test-env.ts'

process.env.TIAOJIE_DATA_KEY = TEST_DATA_KEY
process.env.SESSION_SECRET = TEST_SESSION_SECRET
process.env.APP_ORIGIN = TEST_ORIGIN
// Unit tests have no database. Should one reach getDb() by mistake it gets an empty in-memory
// SQLite database (and fails on the first query) instead of the developer's data/tiaojie.sqlite.
process.env.DATABASE_URL = 'file::memory:'
