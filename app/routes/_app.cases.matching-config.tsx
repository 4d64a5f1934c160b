import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { type Translator, useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { forbidden } from '#app/lib/http.server.ts'
import { isMessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { type AuthUser, actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { activeMatchConfig, saveMatchConfig } from '#app/modules/cases/matching.server.ts'
import { configFromForm, DOMAIN_CREDITS, PROXIMITY_LEVELS, problemsByField, submittedValues } from '#app/modules/cases/match-config-form.ts'
import { difficultyLabel } from '#app/modules/cases/model.ts'
import { labelRef } from '#app/modules/cases/refs.ts'
import { DIFFICULTIES, MATCH_TIERS, SCORE_COMPONENTS } from '#app/modules/matching/types.ts'

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
  const before = await activeMatchConfig(db)
  const config = configFromForm(before.config, form)
  const values = submittedValues(form)
  const rawSubsidy = String(form.get('subsidyYuan') ?? '').trim()
  const subsidy = rawSubsidy === '' || !Number.isFinite(Number(rawSubsidy)) ? -1 : Math.round(Number(rawSubsidy) * 100)
  const note = String(form.get('note') ?? '').slice(0, 500) || null
  const subsidyProblems = subsidy < 0 || subsidy > 1_000_000 ? ['validation.invalid'] : []
  const saved = subsidyProblems.length ? null : await saveMatchConfig(db, config, subsidy, user.userId, note)
  if (!saved?.ok) {
    const { fieldErrors, formErrors } = problemsByField(saved?.problems ?? [])
    if (subsidyProblems.length) fieldErrors.subsidyYuan = subsidyProblems
    return data({ problems: formErrors, fieldErrors, values }, { status: 400 })
  }
  await audit(db, request, actorOf(user), {
    action: 'case.match_config_saved',
    recordType: 'match_config',
    recordId: String(saved.version),
    detail: {
      note,
      before: { version: before.version, config: before.config, subsidyFenPerHour: before.subsidyFenPerHour },
      after: { version: saved.version, config, subsidyFenPerHour: subsidy },
    },
  })
  return redirectWithFlash('/cases/matching-config', { kind: 'success', message: 'cases.config.saved', params: { version: saved.version } })
}

/** The localised name of a configuration path (`proximity.byLevelsUp.0` → 同一区县). */
function fieldLabel(t: Translator, path: string): string {
  const [head = '', a = '', b = ''] = path.split('.')
  const label = (key: string) => (isMessageKey(key) ? t(key) : key)
  if (head === 'weights') return `${t('cases.config.weights')} · ${label(`cases.component.${a}`)}`
  if (head === 'tierFit' || head === 'tierAllowed')
    return `${t(head === 'tierFit' ? 'cases.config.tierFit' : 'cases.config.tierAllowed')} · ${label(`cases.difficulty.${a}`)} × ${label(`experts.tier.${b}`)}`
  if (head === 'proximity') return label(a === 'byLevelsUp' ? `cases.config.proximity.level${b}` : `cases.config.proximity.${a}`)
  if (head === 'rating' || head === 'domain' || head === 'rotation') return label(`cases.config.${head}.${a}`)
  if (path === 'batch.loadPenalty') return t('cases.config.loadPenalty')
  if (path === 'recommend.maxPerOrganisation') return t('cases.config.maxPerOrganisation')
  return path
}

/** A validator problem with its path replaced by the field's name, translated. */
function problemText(t: Translator, ref: string): string {
  const [key = '', query] = ref.split('?', 2)
  if (!query) return labelRef(t, ref)
  const params = new URLSearchParams(query)
  const path = params.get('path')
  if (path) params.set('path', fieldLabel(t, path))
  return labelRef(t, `${key}?${params.toString()}`)
}

type Failure = { problems: string[]; fieldErrors: Record<string, string[]>; values: Record<string, string> }

export default function MatchingConfig() {
  const t = useT()
  const { active, versions } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as Failure | undefined
  const c = active.config
  const values = result?.values
  const errors = result?.fieldErrors ?? {}
  const value = (name: string, fallback: number | undefined) => values?.[name] ?? (fallback === undefined ? '' : String(fallback))
  const checked = (name: string, fallback: boolean) => (values ? values[name] === 'on' : fallback)
  const inputId = (name: string) => `f-${name.replaceAll('.', '-')}`
  const errorId = (name: string) => `err-${name.replaceAll('.', '-')}`
  const fieldError = (name: string) =>
    errors[name]?.length ? (
      <span id={errorId(name)} className="text-sm text-red-700">
        {errors[name].map((p) => problemText(t, p)).join('；')}
      </span>
    ) : null
  const numberInput = (
    name: string,
    fallback: number | undefined,
    props: { step?: string; min?: string; max?: string; label?: string; cell?: boolean },
  ) => (
    <input
      id={inputId(name)}
      name={name}
      type="number"
      inputMode="decimal"
      step={props.step ?? '0.01'}
      min={props.min ?? '0'}
      max={props.max}
      defaultValue={value(name, fallback)}
      aria-label={props.label}
      aria-invalid={errors[name]?.length ? true : undefined}
      aria-describedby={errors[name]?.length ? errorId(name) : undefined}
      className={`input ${props.cell ? 'w-20 min-w-[4.5rem]' : ''} ${errors[name]?.length ? 'border-red-600' : ''}`}
      required
    />
  )
  const field = (
    name: string,
    labelText: string,
    fallback: number | undefined,
    props: { step?: string; min?: string; max?: string } = {},
  ) => (
    <div key={name} className="grid gap-1">
      <label htmlFor={inputId(name)}>{labelText}</label>
      {numberInput(name, fallback, props)}
      {fieldError(name)}
    </div>
  )
  const tableErrors = (prefix: string) =>
    Object.keys(errors)
      .filter((name) => name.startsWith(prefix))
      .map((name) => <li key={name}>{fieldError(name)}</li>)
  const failed = !!result && (result.problems.length > 0 || Object.keys(errors).length > 0)
  return (
    <>
      <PageHeader
        title={t('cases.config.title')}
        crumbs={[{ label: t('cases.list.title'), to: '/cases' }, { label: t('cases.config.title') }]}
      />
      {failed ? (
        <div role="alert" className="card mb-4 text-red-800" data-testid="config-problems">
          <p>{t('cases.config.invalid')}</p>
          <ul className="list-disc pl-5">
            {result.problems.map((p) => (
              <li key={p}>{problemText(t, p)}</li>
            ))}
            {Object.entries(errors).flatMap(([name, list]) =>
              list.map((p) => (
                <li key={`${name}-${p}`}>
                  {name === 'subsidyYuan' ? `${t('cases.subsidy.rate')}：${problemText(t, p)}` : problemText(t, p)}
                </li>
              )),
            )}
          </ul>
        </div>
      ) : null}
      <p className="mb-4 text-slate-600">{t('cases.config.current', { version: active.version })}</p>
      <Form method="post" className="card grid min-w-0 gap-4">
        <fieldset className="grid gap-2 sm:grid-cols-3">
          <legend className="label">{t('cases.config.weights')}</legend>
          {SCORE_COMPONENTS.map((k) => field(`weight.${k}`, t(`cases.component.${k}`), c.weights[k]))}
        </fieldset>
        <fieldset className="min-w-0 overflow-x-auto">
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
                        defaultChecked={checked(`allowed.${d}.${tier}`, c.tierAllowed[d][tier])}
                        aria-label={`${t(difficultyLabel(d))} ${t(`experts.tier.${tier}`)}`}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <fieldset className="min-w-0 overflow-x-auto" data-testid="tier-fit">
          <legend className="label">{t('cases.config.tierFit')}</legend>
          <table className="text-sm">
            <thead>
              <tr>
                <th />
                {MATCH_TIERS.map((tier) => (
                  <th key={tier} className="px-1">
                    {t(`experts.tier.${tier}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {DIFFICULTIES.map((d) => (
                <tr key={d}>
                  <th className="whitespace-nowrap pr-2 text-left">{t(difficultyLabel(d))}</th>
                  {MATCH_TIERS.map((tier) => (
                    <td key={tier} className="px-1 py-1">
                      {numberInput(`tierFit.${d}.${tier}`, c.tierFit[d][tier], {
                        max: '1',
                        cell: true,
                        label: `${t('cases.config.tierFit')} ${t(difficultyLabel(d))} ${t(`experts.tier.${tier}`)}`,
                      })}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <ul>{tableErrors('tierFit.')}</ul>
        </fieldset>
        <fieldset className="grid gap-2 sm:grid-cols-3" data-testid="proximity">
          <legend className="label">{t('cases.config.proximity')}</legend>
          {PROXIMITY_LEVELS.map((i) =>
            field(`proximity.byLevelsUp.${i}`, fieldLabel(t, `proximity.byLevelsUp.${i}`), c.proximity.byLevelsUp[i], { max: '1' }),
          )}
          {field('proximity.national', t('cases.config.proximity.national'), c.proximity.national, { max: '1' })}
          {field('proximity.unrelated', t('cases.config.proximity.unrelated'), c.proximity.unrelated, { max: '1' })}
        </fieldset>
        <fieldset className="grid gap-2 sm:grid-cols-3">
          <legend className="label">{t('cases.config.domain')}</legend>
          {DOMAIN_CREDITS.map((k) => field(`domain.${k}`, fieldLabel(t, `domain.${k}`), c.domain[k], { max: '1' }))}
        </fieldset>
        <fieldset className="grid gap-2 sm:grid-cols-3">
          <legend className="label">{t('cases.config.rating')}</legend>
          {field('rating.priorMean', t('cases.config.rating.priorMean'), c.rating.priorMean, {
            min: String(c.rating.scaleMin),
            max: String(c.rating.scaleMax),
          })}
          {field('rating.priorWeight', t('cases.config.rating.priorWeight'), c.rating.priorWeight, { max: '1000' })}
          {field('rotation.horizonDays', t('cases.config.rotation.horizonDays'), c.rotation.horizonDays, {
            step: '1',
            min: '1',
            max: '3650',
          })}
        </fieldset>
        <div className="grid gap-2 sm:grid-cols-3">
          {field('loadPenalty', t('cases.config.loadPenalty'), c.batch.loadPenalty, { max: '10' })}
          {field('maxPerOrganisation', t('cases.config.maxPerOrganisation'), c.recommend.maxPerOrganisation, {
            step: '1',
            min: '1',
            max: '100',
          })}
          {field('subsidyYuan', t('cases.subsidy.rate'), active.subsidyFenPerHour / 100)}
          <label className="grid gap-1">
            <span>{t('cases.config.note')}</span>
            <input name="note" className="input" maxLength={500} defaultValue={values?.note ?? ''} />
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
