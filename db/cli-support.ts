/**
 * What every db/*.ts command line does the same way: read its options, open the database at
 * DATABASE_URL (validated like the app's own start-up), close it whatever happens, and turn a
 * failure into one line on stderr and exit code 1 instead of a stack trace.
 */
import type { Kysely } from 'kysely'
import { type Env, getEnv } from '#app/lib/env.server.ts'
import { createDatabase, dialectOf } from './connect.ts'
import type { Database } from './schema.ts'

/** `--name value` or `--name=value`. */
export function option(name: string): string | undefined {
  const args = process.argv.slice(2)
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))
  if (index < 0) return undefined
  const arg = args[index]!
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1]
}

export function flag(name: string): boolean {
  return process.argv.slice(2).includes(`--${name}`)
}

/** Arguments that are neither options nor the values of the options named in `valued`. */
export function positional(valued: readonly string[]): string[] {
  const args = process.argv.slice(2)
  return args.filter((arg, index) => !arg.startsWith('--') && !valued.some((name) => args[index - 1] === `--${name}`))
}

export interface DatabaseCli {
  env: Env
  /** `[name:sqlite]` or `[name:mysql]`: the prefix of the command's output lines. */
  tag: string
  /**
   * Opens the database, closed again when the command ends. Called only once the arguments are
   * known to be good, so a mistyped option never touches the database.
   */
  openDatabase: (options: { poolSize: number }) => Kysely<Database>
}

/** Runs `main` as the command `name` (the npm script's name, e.g. `purge:parties`). */
export async function runDatabaseCli(name: string, main: (cli: DatabaseCli) => Promise<void>): Promise<void> {
  const opened: Kysely<Database>[] = []
  try {
    const env = getEnv()
    try {
      await main({
        env,
        tag: `[${name}:${dialectOf(env.DATABASE_URL)}]`,
        openDatabase: ({ poolSize }) => {
          const db = createDatabase(env.DATABASE_URL, { poolSize })
          opened.push(db)
          return db
        },
      })
    } finally {
      await Promise.all(opened.map((db) => db.destroy()))
    }
  } catch (error) {
    console.error(`[${name}] ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
