import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { actorOf, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { type PairKey, confirmPlan, planCases, waitingCases } from '#app/modules/cases/batch.server.ts'
import { BatchCancelled, BatchTimeLimit } from '#app/modules/matching/batch-worker.server.ts'
import { expertNames } from '#app/modules/cases/detail.server.ts'
import { difficultyLabel } from '#app/modules/cases/model.ts'
import { labelRef } from '#app/modules/cases/refs.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'cases.batch.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'case:assign')
  return { cases: await waitingCases(getDb(), scopeFor(user, 'case:assign')) }
}

function pairsOf(values: FormDataEntryValue[]): PairKey[] {
  const out: PairKey[] = []
  for (const v of values) {
    const [caseId, expertId] = String(v).split(':')
    if (caseId && expertId && caseId.length <= 26 && expertId.length <= 26) out.push({ caseId, expertId })
  }
  return out
}

const key = (p: PairKey) => `${p.caseId}:${p.expertId}`

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'case:assign')
  const db = getDb()
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const today = todayInChina()
  // Scope comes from the session: only open cases in scope can be planned or confirmed.
  const inScope = new Map((await waitingCases(db, scopeFor(user, 'case:assign'), 5000)).map((c) => [c.id, c]))
  if (intent === 'plan') {
    const caseIds = form
      .getAll('caseId')
      .map(String)
      .filter((id) => inScope.has(id))
    if (!caseIds.length) return data({ error: 'cases.batch.noneSelected' as const, plan: null }, { status: 400 })
    const kept = pairsOf(form.getAll('keep')).filter((p) => inScope.has(p.caseId))
    const keptKeys = new Set(kept.map(key))
    const removed = pairsOf(form.getAll('proposed')).filter((p) => !keptKeys.has(key(p)))
    let plan: Awaited<ReturnType<typeof planCases>>
    try {
      plan = await planCases(db, caseIds, today, kept, removed, request.signal)
    } catch (error) {
      if (error instanceof BatchCancelled) {
        // The user cancelled (or left): the worker is stopped; nobody is waiting for an answer.
        await audit(db, request, actorOf(user), { action: 'case.batch_cancelled', result: 'failed', detail: { cases: caseIds.length } })
        // Thrown, not returned: there is no page to render for a client that has gone.
        throw new Response(null, { status: 499 })
      }
      if (!(error instanceof BatchTimeLimit)) throw error
      await audit(db, request, actorOf(user), {
        action: 'case.batch_time_limit',
        result: 'failed',
        detail: { cases: caseIds.length, limitMs: error.limitMs },
      })
      return data({ error: 'cases.batch.timeLimit' as const, plan: null }, { status: 503 })
    }
    const names = await expertNames(
      db,
      plan.experts.map((e) => e.expertId),
    )
    const [regions, types] = await Promise.all([
      db.selectFrom('regions').select(['code', 'name']).where('level', 'in', ['province', 'city', 'district']).execute(),
      db.selectFrom('dispute_types').select(['code', 'name_en']).execute(),
    ])
    return {
      error: null,
      plan: {
        caseIds,
        totals: plan.totals,
        solver: { method: plan.solver.method, ms: Math.round(plan.solver.ms), optimal: plan.solver.optimal },
        cases: plan.cases.map((c) => ({
          caseId: c.caseId,
          caseNumber: inScope.get(c.caseId)?.case_number ?? c.caseId,
          title: inScope.get(c.caseId)?.title ?? '',
          needed: c.needed,
          unfilled: c.unfilled,
          messages: c.messages,
          assigned: c.assigned.map((a) => ({
            expertId: a.expertId,
            locked: a.locked,
            total: a.total,
            name: names.get(a.expertId)?.name ?? a.expertId,
          })),
        })),
        experts: plan.experts.map((e) => ({
          expertId: e.expertId,
          name: names.get(e.expertId)?.name ?? e.expertId,
          before: e.activeBefore,
          after: e.loadAfter,
          capacity: e.capacity,
          cases: [...e.lockedCaseIds, ...e.newCaseIds].map((id) => inScope.get(id)?.case_number ?? id),
        })),
      },
      names: {
        regions: Object.fromEntries(regions.map((r) => [r.code, r.name])),
        disputeTypesEn: Object.fromEntries(types.map((d) => [d.code, d.name_en])),
      },
    }
  }
  if (intent === 'confirm') {
    const pairs = pairsOf(form.getAll('keep'))
    const outside = pairs.find((p) => !inScope.has(p.caseId))
    if (outside) {
      await audit(db, request, actorOf(user), {
        action: 'case.batch_refused',
        result: 'denied',
        detail: { caseId: outside.caseId, reason: 'out_of_scope' },
      })
      return data({ error: null, plan: null, refused: { caseId: outside.caseId, messages: ['cases.invite.noCase'] } }, { status: 400 })
    }
    const deadline = String(form.get('deadline') ?? '')
    const result = await confirmPlan(db, pairs, {
      deadline: /^\d{4}-\d{2}-\d{2}$/.test(deadline) ? deadline : today,
      userId: user.userId,
      today,
      auditAs: { request, actor: actorOf(user) },
    })
    await audit(db, request, actorOf(user), {
      action: 'case.batch_confirmed',
      result: result.ok ? 'ok' : 'denied',
      detail: result.ok
        ? { pairs: pairs.length, created: result.created }
        : { caseId: result.caseId, expertId: result.expertId, refused: result.messages },
    })
    if (!result.ok) {
      return data(
        {
          error: null,
          plan: null,
          refused: { caseId: inScope.get(result.caseId)?.case_number ?? result.caseId, messages: result.messages },
        },
        { status: 409 },
      )
    }
    return redirectWithFlash('/cases/batch', { kind: 'success', message: 'cases.batch.confirmed', params: { count: result.created } })
  }
  return data({ error: 'cases.batch.noneSelected' as const, plan: null }, { status: 400 })
}

export default function BatchAssignment() {
  const t = useT()
  const { cases } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const plan = result && 'plan' in result ? result.plan : null
  const names = result && 'names' in result ? result.names : {}
  const refused = result && 'refused' in result ? result.refused : null
  // Planning a large batch takes seconds in a worker: say so, and offer to stop it (leaving the
  // page aborts the request, and the server terminates the worker).
  const navigation = useNavigation()
  const planning = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'plan'
  const selected = new Set(plan?.caseIds ?? cases.map((c) => c.id))
  const defaultDeadline = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
  return (
    <>
      <PageHeader
        title={t('cases.batch.title')}
        crumbs={[{ label: t('cases.list.title'), to: '/cases' }, { label: t('cases.batch.title') }]}
      />
      <p className="mb-4 text-slate-600">{t('cases.batch.help')}</p>
      {result?.error ? (
        <p role="alert" className="card mb-4 text-red-800">
          {t(result.error)}
        </p>
      ) : null}
      {refused ? (
        <p role="alert" className="card mb-4 text-red-800" data-testid="batch-refused">
          {t('cases.batch.refused', { case: refused.caseId, reasons: refused.messages.map((m) => labelRef(t, m, names)).join('；') })}
        </p>
      ) : null}
      {cases.length === 0 ? <p className="card">{t('cases.batch.none')}</p> : null}
      <Form method="post" className="grid gap-4">
        {cases.length ? (
          <fieldset className="card">
            <legend className="label">{t('cases.list.title')}</legend>
            <ul className="grid gap-1 md:grid-cols-2" data-testid="batch-cases">
              {cases.map((c) => (
                <li key={c.id}>
                  <label className="flex items-start gap-2">
                    <input type="checkbox" name="caseId" value={c.id} defaultChecked={selected.has(c.id)} />
                    <span>
                      {c.case_number} {c.title}
                      <span className="text-sm text-slate-600">
                        {' '}
                        · {c.dispute_type_code} · {t(difficultyLabel(c.difficulty))} · {c.region_name} · {c.experts_assigned}/
                        {c.experts_needed}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ) : null}
        {plan ? (
          <section className="card" data-testid="batch-plan">
            <p className="mb-2 font-medium" data-testid="batch-summary">
              {t('cases.batch.summary', {
                cases: plan.totals.cases,
                filled: plan.totals.filled,
                slots: plan.totals.slots,
                short: plan.totals.casesShort,
                method: plan.solver.method,
                ms: plan.solver.ms,
              })}
            </p>
            <h2 className="text-lg">{t('cases.batch.perCase')}</h2>
            <ul className="space-y-2">
              {plan.cases.map((c) => (
                <li key={c.caseId} className="border-t pt-2">
                  <p className="font-medium">
                    <Link to={`/cases/${c.caseId}`}>{c.caseNumber}</Link> {c.title}
                  </p>
                  <ul className="ml-2">
                    {c.assigned.map((a) => (
                      <li key={a.expertId}>
                        <label className="flex items-center gap-2">
                          <input type="hidden" name="proposed" value={`${c.caseId}:${a.expertId}`} />
                          <input type="checkbox" name="keep" value={`${c.caseId}:${a.expertId}`} defaultChecked />
                          <span>
                            {a.name} · {a.total.toFixed(3)}
                            {a.locked ? ` · ${t('cases.batch.lock')}` : ''}
                          </span>
                        </label>
                      </li>
                    ))}
                  </ul>
                  {c.unfilled > 0 ? (
                    <p className="text-sm text-red-800">
                      {t('cases.batch.short')} {c.messages.map((m) => labelRef(t, m, names)).join('；')}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
            <h2 className="mt-4 text-lg">{t('cases.batch.perExpert')}</h2>
            <ul className="text-sm">
              {plan.experts.map((e) => (
                <li key={e.expertId}>
                  {e.name}：{e.cases.join('、')}（{t('cases.batch.load', { before: e.before, after: `${e.after}/${e.capacity}` })}）
                </li>
              ))}
            </ul>
            <label className="mt-3 grid max-w-xs gap-1">
              <span className="label">{t('cases.invite.deadline')}</span>
              <input type="date" name="deadline" defaultValue={defaultDeadline} className="input" />
            </label>
          </section>
        ) : null}
        {cases.length ? (
          <div className="flex flex-wrap gap-2">
            <button type="submit" name="intent" value="plan" className="btn-secondary">
              {plan ? t('cases.batch.rerun') : t('cases.batch.plan')}
            </button>
            {plan ? (
              <button type="submit" name="intent" value="confirm" className="btn-primary">
                {t('cases.batch.confirm')}
              </button>
            ) : null}
          </div>
        ) : null}
        {planning ? (
          <output className="block text-slate-700" data-testid="batch-planning">
            {t('dashboard.work.planning')} <Link to="/cases/batch">{t('dashboard.work.cancel')}</Link>
          </output>
        ) : null}
      </Form>
    </>
  )
}
