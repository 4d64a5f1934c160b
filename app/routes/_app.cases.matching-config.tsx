import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { type AuthUser, actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { activeMatchConfig, saveMatchConfig } from '#app/modules/cases/matching.server.ts'
import { difficultyLabel } from '#app/modules/cases/model.ts'
import { labelRef } from '#app/modules/cases/refs.ts'
import { DIFFICULTIES, MATCH_TIERS, type MatchConfig, SCORE_COMPONENTS } from '#app/modules/matching/types.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'cases.config.title')

/** Municipal (province-level or city) bureau staff and administrators edit the matching policy. */
function requireMunicipal(user: AuthUser): void {
  const ok = user.grants.some((g) => g.role === 'admin' || (g.role === 'bureau_staff' && !!g.regionPath && isCityLevel(g.regionPath)))
  if (!ok) forbidden()
}

/** `/110000/` (a municipality or province) or `/130000/130100/` (a prefecture city): six-digit codes ending in 00. */
function isCityLevel(path: string): boolean {
  const codes = path.split('/').filter(Boolean)
  const last = codes[codes.length - 1] ?? ''
  return codes.length <= 2 && /^\d{4}00$/.test(last)
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'case:assign')
  requireMunicipal(user)
  const db = getDb()
  const [active, versions] = await Promise.all([
    activeMatchConfig(db),
    db
      .selectFrom('match_configs')
      .select(['version', 'note', 'created_at', 'subsidy_fen_per_hour'])
      .orderBy('version', 'desc')
      .limit(20)
      .execute(),
  ])
  return { active, versions }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'case:assign')
  requireMunicipal(user)
  const db = getDb()
  const form = await request.formData()
  const { config: current } = await activeMatchConfig(db)
  const num = (name: string, fallback: number) => {
    const raw = form.get(name)
    const value = raw === null || raw === '' ? Number.NaN : Number(raw)
    return Number.isFinite(value) ? value : fallback
  }
  const config: MatchConfig = structuredClone(current)
  for (const c of SCORE_COMPONENTS) config.weights[c] = num(`weight.${c}`, -1)
  for (const d of DIFFICULTIES) for (const tier of MATCH_TIERS) config.tierAllowed[d][tier] = form.get(`allowed.${d}.${tier}`) === 'on'
  config.batch.loadPenalty = num('loadPenalty', -1)
  config.recommend.maxPerOrganisation = num('maxPerOrganisation', current.recommend.maxPerOrganisation)
  const subsidy = Math.round(num('subsidyYuan', -1) * 100)
  const note = String(form.get('note') ?? '').slice(0, 500) || null
  if (subsidy < 0 || subsidy > 1_000_000) return data({ problems: ['validation.invalid'] }, { status: 400 })
  const saved = await saveMatchConfig(db, config, subsidy, user.userId, note)
  if (!saved.ok) return data({ problems: saved.problems }, { status: 400 })
  await audit(db, request, actorOf(user), {
    action: 'case.match_config_saved',
    recordType: 'match_config',
    recordId: String(saved.version),
    detail: {
      weights: config.weights,
      tierAllowed: config.tierAllowed,
      loadPenalty: config.batch.loadPenalty,
      maxPerOrganisation: config.recommend.maxPerOrganisation,
      subsidyFenPerHour: subsidy,
      note,
    },
  })
  return redirectWithFlash('/cases/matching-config', { kind: 'success', message: 'cases.config.saved', params: { version: saved.version } })
}

export default function MatchingConfig() {
  const t = useT()
  const { active, versions } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const c = active.config
  return (
    <>
      <PageHeader
        title={t('cases.config.title')}
        crumbs={[{ label: t('cases.list.title'), to: '/cases' }, { label: t('cases.config.title') }]}
      />
      {result?.problems?.length ? (
        <div role="alert" className="card mb-4 text-red-800">
          {result.problems.map((p) => labelRef(t, p)).join('；')}
        </div>
      ) : null}
      <p className="mb-4 text-slate-600">{t('cases.config.current', { version: active.version })}</p>
      <Form method="post" className="card grid gap-4">
        <fieldset className="grid gap-2 sm:grid-cols-3">
          <legend className="label">{t('cases.config.weights')}</legend>
          {SCORE_COMPONENTS.map((k) => (
            <label key={k} className="grid gap-1">
              <span>{t(`cases.component.${k}`)}</span>
              <input name={`weight.${k}`} type="number" step="0.01" min="0" defaultValue={c.weights[k]} className="input" required />
            </label>
          ))}
        </fieldset>
        <fieldset className="overflow-x-auto">
          <legend className="label">{t('cases.config.tierAllowed')}</legend>
          <table className="text-sm">
            <thead>
              <tr>
                <th />
                {MATCH_TIERS.map((tier) => (
                  <th key={tier} className="px-2">
                    {t(`experts.tier.${tier}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {DIFFICULTIES.map((d) => (
                <tr key={d}>
                  <th className="pr-2 text-left">{t(difficultyLabel(d))}</th>
                  {MATCH_TIERS.map((tier) => (
                    <td key={tier} className="px-2 text-center">
                      <input
                        type="checkbox"
                        name={`allowed.${d}.${tier}`}
                        defaultChecked={c.tierAllowed[d][tier]}
                        aria-label={`${t(difficultyLabel(d))} ${t(`experts.tier.${tier}`)}`}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <div className="grid gap-2 sm:grid-cols-3">
          <label className="grid gap-1">
            <span>{t('cases.config.loadPenalty')}</span>
            <input name="loadPenalty" type="number" step="0.01" min="0" defaultValue={c.batch.loadPenalty} className="input" required />
          </label>
          <label className="grid gap-1">
            <span>{t('cases.config.maxPerOrganisation')}</span>
            <input
              name="maxPerOrganisation"
              type="number"
              step="1"
              min="1"
              max="100"
              defaultValue={c.recommend.maxPerOrganisation}
              className="input"
              required
            />
          </label>
          <label className="grid gap-1">
            <span>{t('cases.subsidy.rate')}</span>
            <input
              name="subsidyYuan"
              type="number"
              step="0.01"
              min="0"
              defaultValue={active.subsidyFenPerHour / 100}
              className="input"
              required
            />
          </label>
          <label className="grid gap-1">
            <span>{t('cases.config.note')}</span>
            <input name="note" className="input" maxLength={500} />
          </label>
        </div>
        <div>
          <button type="submit" className="btn-primary">
            {t('cases.config.save')}
          </button>
        </div>
      </Form>
      <h2 className="mt-6 text-lg">{t('cases.config.versions')}</h2>
      <ul className="text-sm" data-testid="config-versions">
        {versions.map((v) => (
          <li key={v.version}>
            v{v.version} · {t.dateTime(v.created_at)} · {(v.subsidy_fen_per_hour / 100).toFixed(2)} · {v.note ?? ''}
          </li>
        ))}
      </ul>
    </>
  )
}
