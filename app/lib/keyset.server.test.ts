import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import { describe, expect, it } from 'vitest'
import { rowsBeyond } from './keyset.server.ts'

// Compiles only: the directory and API tests page through real rows on both dialects.
const db = new Kysely<{ t: { a: number; b: string; c: string } }>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
})

describe('rowsBeyond', () => {
  it('orders lexicographically: each column after the equal earlier ones', () => {
    const { sql, parameters } = db
      .selectFrom('t')
      .selectAll()
      .where(rowsBeyond(['a', 'b', 'c'], [3, 'x', 'y']))
      .compile()
    expect(sql).toContain('(("a" > ?) or ("a" = ? and "b" > ?) or ("a" = ? and "b" = ? and "c" > ?))')
    expect(parameters).toEqual([3, 3, 'x', 3, 'x', 'y'])
  })

  it('turns every comparison round when descending', () => {
    const { sql } = db
      .selectFrom('t')
      .selectAll()
      .where(rowsBeyond(['b', 'c'], ['x', 'y'], 'desc'))
      .compile()
    expect(sql).toContain('(("b" < ?) or ("b" = ? and "c" < ?))')
  })
})
