import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { apiActor, apiCall, methodNotAllowed } from '#app/modules/api/handler.server.ts'
import { IDEMPOTENCY_KEY_PATTERN, getReferral, listReferrals, referCase } from '#app/modules/api/referrals.server.ts'
import { invalid, json, jsonWithEtag, parseBody, parseQuery, readJsonBody } from '#app/modules/api/respond.server.ts'
import { referralInput, referralsQuery } from '#app/modules/api/schemas.ts'

/** GET /api/v1/cases: the client's own referrals (bearer credentials only). */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiCall(request, { operation: 'listReferrals', scope: 'cases:read' }, async (client) => {
    const query = parseQuery(referralsQuery, new URL(request.url))
    return jsonWithEtag(request, await listReferrals(getDb(), client, query))
  })
}

/** POST /api/v1/cases: a court or police client refers a case (Idempotency-Key required). */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('GET, POST')
  return apiCall(request, { operation: 'referCase', scope: 'cases:refer' }, async (client) => {
    const key = request.headers.get('idempotency-key')
    if (!key) throw invalid([{ field: 'Idempotency-Key', code: 'required', message: 'The Idempotency-Key header is required' }])
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw invalid([{ field: 'Idempotency-Key', code: 'invalid', message: '8-100 letters, digits or . _ : -' }])
    }
    const input = parseBody(referralInput, await readJsonBody(request))
    const db = getDb()
    const outcome = await referCase(db, client, input, key)
    const view = await getReferral(db, client, outcome.caseId)
    if (!view) throw new Error('A referral just made cannot be read back')
    if (outcome.created) {
      await audit(db, request, apiActor(client), {
        action: 'case.referred',
        recordType: 'case',
        recordId: view.id,
        detail: { clientId: client.id, caseNumber: view.caseNumber, externalRef: view.externalRef, parties: input.parties.length },
      })
    }
    return json(view, outcome.created ? 201 : 200, { Location: `/api/v1/cases/${view.id}` })
  })
}
