import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { readUploadedFile } from '#app/lib/xlsx/read.server.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { CASE_STATS_LIMITS } from '#app/modules/grading/case-stats.ts'
import { confirmCaseStats, importCaseStats, listCaseStats, saveCaseStats, statsMediators } from '#app/modules/grading/case-stats.server.ts'
import { caseStatsSchema, confirmStatsSchema } from '#app/modules/grading/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'grading.caseStats.title')

/** Org managers list, enter and import their mediators' figures; a mediator sees and confirms their own. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const manager = hasPermission(user, 'grading:case-stats')
  const own = user.grants.some((g) => g.role === 'mediator') ? user.personId : null
  if (!manager && !own) forbidden()
  const db = getDb()
  const orgIds = user.grants.filter((g) => g.role === 'org_manager' && g.orgId).map((g) => g.orgId!)
  const everything = user.grants.some((g) => g.role === 'admin')
  const rows = manager ? await listCaseStats(db, { orgIds, personId: null, everything }) : []
  // ?edit=<id> prefills the form with a row and its version (a correction of what another may have changed is refused).
  const edit = rows.find((r) => r.id === new URL(request.url).searchParams.get('edit')) ?? null
  return {
    edit,
    manager,
    mine: own ? await listCaseStats(db, { orgIds: [], personId: own }) : [],
    rows,
    mediators: manager ? await statsMediators(db, user) : [],
    year: Number(todayInChina().slice(0, 4)),
  }
}

type Result =
  | { error: string; field?: string }
  | { report: { rowNumber: number; problems: { field: string; message: string; params?: Record<string, string | number> }[] }[] }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) {
    if (!hasPermission(user, 'grading:case-stats')) forbidden()
    const upload = await readUploadedFile(request, 'file', CASE_STATS_LIMITS.maxBytes)
    if (!upload.ok)
      return data<Result>(
        { error: upload.error === 'tooLarge' ? 'grading.caseStats.badFile' : 'grading.attachments.missing' },
        { status: 400 },
      )
    const outcome = await importCaseStats(db, request, user, upload, todayInChina())
    if (!outcome.ok) {
      return data<Result>(
        {
          error:
            outcome.error === 'missingColumns'
              ? `grading.caseStats.missingColumns?columns=${encodeURIComponent(outcome.columns.join('、'))}`
              : outcome.error === 'noRows'
                ? 'grading.caseStats.noRows'
                : 'grading.caseStats.badFile',
        },
        { status: 400 },
      )
    }
    if (outcome.bad.length) return data<Result>({ report: outcome.bad }, { status: 400 })
    return redirectWithFlash('/grading/case-stats', {
      kind: 'success',
      message: 'grading.caseStats.imported',
      params: { n: outcome.imported },
    })
  }
  const formData = await request.formData()
  if (formData.get('intent') === 'confirm') {
    const submission = parseWithZod(formData, { schema: confirmStatsSchema })
    if (submission.status !== 'success') return data<Result>({ error: 'validation.invalid' }, { status: 400 })
    const outcome = await confirmCaseStats(db, request, user, submission.value)
    if (!outcome.ok) return data<Result>({ error: outcome.error }, { status: 409 })
    return redirectWithFlash('/grading/case-stats', {
      kind: 'success',
      message: 'grading.caseStats.confirmedFlash',
      params: { year: outcome.year },
    })
  }
  if (!hasPermission(user, 'grading:case-stats')) forbidden()
  const submission = parseWithZod(formData, { schema: caseStatsSchema })
  if (submission.status !== 'success') {
    const first = Object.entries(submission.error ?? {})[0]
    return data<Result>({ error: first?.[1]?.[0] ?? 'validation.invalid', field: first?.[0] }, { status: 400 })
  }
  const outcome = await saveCaseStats(db, request, user, { ...submission.value, version: submission.value.version ?? null })
  if (!outcome.ok) return data<Result>({ error: outcome.error, field: outcome.field }, { status: 400 })
  return redirectWithFlash('/grading/case-stats', { kind: 'success', message: 'grading.caseStats.saved' })
}

export default function CaseStatsPage() {
  const t = useT()
  const { manager, mine, rows, mediators, year, edit } = useLoaderData<typeof loader>()
  const result = useActionData<Result>()
  const error = result && 'error' in result ? result.error : null
  return (
    <>
      <PageHeader
        title={t('grading.caseStats.title')}
        crumbs={[{ label: t('grading.title'), to: '/grading' }, { label: t('grading.caseStats.title') }]}
      />
      <FormErrors errors={error ? [error] : undefined} />
      {result && 'report' in result ? (
        <div role="alert" className="card mb-4 text-sm text-red-900" data-testid="import-report">
          <p className="font-semibold">{t('grading.caseStats.importFailed', { n: result.report.length })}</p>
          <ul>
            {result.report.map((r) => (
              <li key={r.rowNumber}>
                {t('grading.caseStats.row', { row: r.rowNumber })}：
                {r.problems
                  .map((p) =>
                    t.ref(
                      p.params
                        ? `${p.message}?${new URLSearchParams(Object.entries(p.params).map(([k, v]) => [k, String(v)]))}`
                        : p.message,
                    ),
                  )
                  .join('；')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {mine.length ? (
        <section className="card mb-4">
          <h2 className="mb-2 text-lg">{t('grading.caseStats.mine')}</h2>
          <ul className="divide-y text-sm">
            {mine.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  {r.year}：{t('grading.caseStats.disputes')} {r.disputes} · {t('grading.caseStats.successful')} {r.successful} ·{' '}
                  {t('grading.caseStats.oral')} {r.oral}
                </span>
                {r.confirmedAt ? (
                  <span className="text-green-800">{t('grading.caseStats.confirmed')}</span>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="confirm" />
                    <input type="hidden" name="statsId" value={r.id} />
                    <input type="hidden" name="version" value={r.version} />
                    <button type="submit" className="btn-primary">
                      {t('grading.caseStats.confirm')}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {manager ? (
        <>
          <div className="mb-4 grid gap-4 md:grid-cols-2">
            <Form method="post" action="/grading/case-stats" className="card grid gap-2" key={edit?.id ?? 'new'}>
              <h2 className="text-lg">{t('grading.caseStats.enter')}</h2>
              <input type="hidden" name="intent" value="save" />
              {edit ? <input type="hidden" name="version" value={edit.version} /> : null}
              <label className="text-sm">
                <span className="label">{t('grading.caseStats.mediator')}</span>
                <select name="personId" className="input" required defaultValue={edit?.personId}>
                  {mediators.map((m) => (
                    <option key={m.personId} value={m.personId}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </label>
              {(['year', 'disputes', 'successful', 'oral'] as const).map((f) => (
                <label key={f} className="text-sm">
                  <span className="label">{t(`grading.caseStats.${f}`)}</span>
                  <input
                    name={f}
                    inputMode="numeric"
                    required
                    className="input"
                    defaultValue={edit ? edit[f] : f === 'year' ? year : undefined}
                  />
                </label>
              ))}
              <button type="submit" className="btn-primary">
                {t('form.save')}
              </button>
            </Form>
            <Form method="post" encType="multipart/form-data" className="card grid gap-2">
              <h2 className="text-lg">{t('grading.caseStats.import')}</h2>
              <a href="/grading/case-stats-template" className="underline">
                {t('grading.caseStats.template')}
              </a>
              <label className="text-sm">
                <span className="label">{t('grading.caseStats.file')}</span>
                <input type="file" name="file" accept=".xlsx" required className="input" />
              </label>
              <button type="submit" className="btn-secondary">
                {t('grading.caseStats.import')}
              </button>
            </Form>
          </div>
          <section className="card">
            {rows.length ? (
              <div className="overflow-x-auto">
                <table className="w-full text-sm">
                  <thead>
                    <tr className="text-left text-slate-600">
                      <th className="p-1">{t('grading.caseStats.mediator')}</th>
                      <th className="p-1">{t('grading.caseStats.year')}</th>
                      <th className="p-1">{t('grading.caseStats.disputes')}</th>
                      <th className="p-1">{t('grading.caseStats.successful')}</th>
                      <th className="p-1">{t('grading.caseStats.oral')}</th>
                      <th className="p-1">{t('grading.caseStats.confirmed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.id} className="border-t">
                        <td className="p-1">
                          <a href={`/grading/case-stats?edit=${r.id}`} className="underline">
                            {r.name}
                          </a>
                        </td>
                        <td className="p-1">{r.year}</td>
                        <td className="p-1">{r.disputes}</td>
                        <td className="p-1">{r.successful}</td>
                        <td className="p-1">{r.oral}</td>
                        <td className="p-1">{r.confirmedAt ? t.date(r.confirmedAt) : t('grading.caseStats.notConfirmed')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="text-sm text-slate-600">{t('grading.caseStats.none')}</p>
            )}
          </section>
        </>
      ) : null}
    </>
  )
}
