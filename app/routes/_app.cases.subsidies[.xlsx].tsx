import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { getLocale } from '#app/lib/i18n.server.ts'
import { actorOf, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { subsidyPeriod } from '#app/modules/cases/model.ts'
import { subsidyLines, subsidyWorkbook } from '#app/modules/cases/subsidy.server.ts'
import { todayInChina } from '#app/lib/time.ts'

/** The subsidy list as .xlsx for payment (masked ID numbers), audited. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'case:manage')
  const db = getDb()
  const { from, to } = subsidyPeriod(new URL(request.url).searchParams, todayInChina())
  const { rateFen, lines } = await subsidyLines(db, scopeFor(user, 'case:manage'), from, to)
  const body = await subsidyWorkbook(await getLocale(request), rateFen, lines)
  await audit(db, request, actorOf(user), {
    action: 'case.subsidies_exported',
    recordType: 'case_subsidy',
    detail: { from, to, lines: lines.length, totalFen: lines.reduce((s, l) => s + l.fen, 0) },
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="subsidies.xlsx"; filename*=UTF-8''${encodeURIComponent(`专家咨询补贴-${from}-${to}.xlsx`)}`,
      'Cache-Control': 'no-store',
    },
  })
}
