import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { translate } from '#app/lib/i18n.ts'
import { getLocale } from '#app/lib/i18n.server.ts'
import { spreadsheetResponse } from '#app/lib/xlsx/write.server.ts'
import { actorOf, may } from '#app/modules/auth/authz.server.ts'
import { fullIdNumbers, resultsWorkbook, roundResults } from '#app/modules/grading/results-export.server.ts'
import { requireRoundAccess } from '#app/modules/grading/round-scope.server.ts'

/**
 * The results for filing with the justice bureau (备案): the page's rows as .xlsx, with ID numbers
 * in full only for the people the user's person:reveal reaches (masked otherwise). Audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb()
  const { user, loaded } = await requireRoundAccess(request, db, 'grading:view', params.roundId)
  if (!['notice', 'resolved', 'finalised'].includes(loaded.round.status)) notFound()
  const groups = await roundResults(db, loaded)
  const rows = groups.flatMap((g) => g.rows)
  const reveal = rows.filter((r) => may(user, 'person:reveal', r.scope)).map((r) => r.personId)
  const revealed = await fullIdNumbers(db, reveal)
  const locale = await getLocale(request)
  const exportedAt = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
  const body = await resultsWorkbook(loaded, groups, { locale, exportedAt, exportedBy: user.displayName, revealed })
  await audit(db, request, actorOf(user), {
    action: 'grading.results_exported',
    recordType: 'grading_round',
    recordId: loaded.round.id,
    detail: { rows: rows.length, revealed: revealed.size },
  })
  const fileName = translate(locale, 'gradingNotice.results.fileName', { round: loaded.round.title })
  return spreadsheetResponse(body, `${fileName}.xlsx`)
}
