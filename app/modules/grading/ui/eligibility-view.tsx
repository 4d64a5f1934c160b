/** The eligibility check rule by rule: what was required, what the evidence shows, the verdict and its evidence. */
import { useT } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/lib/i18n.ts'
import type { EligibilityResult, RuleValue } from '../eligibility.ts'

export function EligibilityView({ eligibility, caption }: { eligibility: EligibilityResult | null; caption?: string }) {
  const t = useT()
  if (!eligibility) return null
  // Values are numbers or message references (`grading.eligibility.ratio?part=…`); plain text otherwise.
  const show = (value: RuleValue) => {
    if (value === null || value === undefined) return '—'
    if (typeof value === 'number') return String(value)
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no')
    return value.startsWith('grading.') ? t.ref(value) : value
  }
  return (
    <section className="card min-w-0" data-testid="eligibility">
      <h2 className="mb-1 text-lg">{t('grading.eligibility.title')}</h2>
      {caption ? <p className="mb-2 text-sm text-slate-600">{caption}</p> : null}
      <p className={`mb-3 font-semibold ${eligibility.eligible ? 'text-green-800' : 'text-red-800'}`} data-testid="eligibility-overall">
        {eligibility.eligible ? t('grading.eligibility.overall.eligible') : t('grading.eligibility.overall.ineligible')}
      </p>
      <ul className="divide-y">
        {eligibility.rules.map((r) => (
          <li key={r.rule} className="py-2 text-sm" data-testid={`rule-${r.rule}`}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">{t(`grading.rule.${r.rule}` as MessageKey, r.params)}</span>
              <span className={r.passed ? 'text-green-800' : 'text-red-800'}>
                {r.passed ? `✓ ${t('grading.eligibility.passed')}` : `✗ ${t('grading.eligibility.failed')}`}
              </span>
            </div>
            <div className="text-slate-700">
              {t('grading.eligibility.required')}: {show(r.required)} · {t('grading.eligibility.actual')}: {show(r.actual)}
            </div>
            {r.evidence.length ? (
              <div className="text-xs text-slate-600">{r.evidence.map((e) => (e.startsWith('grading.') ? t.ref(e) : e)).join('；')}</div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  )
}
