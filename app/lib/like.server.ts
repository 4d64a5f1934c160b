/**
 * Substring search with LIKE on both dialects. likeContains() escapes the user's wildcards with a
 * backslash; SQLite only honours an escape character that the query names, so the ESCAPE clause is
 * always given (as a parameter, which both dialects read as one backslash).
 */
import { sql, type Expression, type SqlBool } from 'kysely'
import { likeContains } from './list-params.ts'

/** `column LIKE '%text%'`, with the text's own % and _ matched literally. `column` is a trusted reference. */
export function containsText(column: string, text: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${likeContains(text)} escape ${'\\'}`
}
