/**
 * The one MDX pipeline for shipped content (training modules, drills, library cases). Compiles
 * with mdx-bundler one file at a time (a queue: esbuild is CPU-heavy and the machines have two
 * cores), caches compiled code by content hash in memory (bounded) and in the database (so a
 * restart or another app server does not recompile), and validates frontmatter with zod.
 *
 * Only files from content/ pass through here. User-submitted text never does: it is Markdown,
 * rendered by a sanitising pipeline, never compiled as code.
 */
import { createHash } from 'node:crypto'
import { bundleMDX } from 'mdx-bundler'
import type { ZodType } from 'zod'
import type { Executor } from '../db.server.ts'
import { extractHeadings, type Heading } from './headings.ts'

/** Bump when the pipeline's options change, so cached output from older options is not reused. */
const PIPELINE_VERSION = '1'
const MEMORY_LIMIT_BYTES = 32 * 1024 * 1024

export interface CompiledMdx<F> {
  hash: string
  code: string
  frontmatter: F
  headings: Heading[]
}

export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`)
    this.name = 'ContentError'
  }
}

/** Validates frontmatter, naming the file and the field in the error. */
export function parseFrontmatter<F>(schema: ZodType<F>, data: unknown, file: string): F {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  throw new ContentError(file, issue.path.join('.') || '(frontmatter)', issue.message)
}

interface CacheEntry {
  code: string
  frontmatter: unknown
  bytes: number
}

// Map iteration order is insertion order, so re-inserting on read makes this an LRU.
const memory = new Map<string, CacheEntry>()
let memoryBytes = 0

function remember(hash: string, entry: CacheEntry): void {
  memory.delete(hash)
  memory.set(hash, entry)
  memoryBytes += entry.bytes
  for (const [key, old] of memory) {
    if (memoryBytes <= MEMORY_LIMIT_BYTES) break
    memory.delete(key)
    memoryBytes -= old.bytes
  }
}

export function contentHash(source: string): string {
  return createHash('sha256').update(PIPELINE_VERSION).update('\0').update(source).digest('hex')
}

let queue: Promise<unknown> = Promise.resolve()
const inFlight = new Map<string, Promise<CacheEntry>>()

async function bundle(source: string, file: string): Promise<CacheEntry> {
  const task = queue.then(async () => {
    try {
      const result = await bundleMDX({
        source,
        esbuildOptions: (options) => ({ ...options, target: ['es2020'], minify: true, platform: 'neutral', logLevel: 'silent' }),
      })
      return { code: result.code, frontmatter: result.frontmatter, bytes: result.code.length * 2 }
    } catch (error) {
      throw new ContentError(file, '', error instanceof Error ? error.message : String(error))
    }
  })
  // The next compile waits for this one, whether it succeeds or not.
  queue = task.catch(() => undefined)
  return task
}

async function load(db: Executor | null, hash: string, source: string, file: string): Promise<CacheEntry> {
  const cached = memory.get(hash)
  if (cached) {
    remember(hash, cached)
    return cached
  }
  if (db) {
    const row = await db.selectFrom('mdx_cache').select(['code', 'frontmatter']).where('hash', '=', hash).executeTakeFirst()
    if (row) {
      const entry = { code: row.code, frontmatter: JSON.parse(row.frontmatter), bytes: row.code.length * 2 }
      remember(hash, entry)
      return entry
    }
  }
  const entry = await bundle(source, file)
  remember(hash, entry)
  if (db) {
    // Two servers may compile the same file at once; the second insert is a harmless duplicate.
    await db
      .insertInto('mdx_cache')
      .values({ hash, code: entry.code, frontmatter: JSON.stringify(entry.frontmatter ?? {}), created_at: new Date().toISOString() })
      .execute()
      .catch(() => undefined)
  }
  return entry
}

/**
 * Compiles (or fetches from cache) one MDX source. `db` may be null for tooling that runs
 * without a database (content checks in tests).
 */
export async function compileMdx<F>(db: Executor | null, source: string, schema: ZodType<F>, file: string): Promise<CompiledMdx<F>> {
  const hash = contentHash(source)
  let pending = inFlight.get(hash)
  if (!pending) {
    pending = load(db, hash, source, file).finally(() => inFlight.delete(hash))
    inFlight.set(hash, pending)
  }
  const entry = await pending
  return { hash, code: entry.code, frontmatter: parseFrontmatter(schema, entry.frontmatter, file), headings: extractHeadings(source) }
}

/** For tests and benches that measure cold compiles. */
export function clearMemoryCache(): void {
  memory.clear()
  memoryBytes = 0
}
