/** Small labels for tier, status and term; text always carries the meaning, colour only helps. */
import { useT } from '#app/components/i18n.tsx'
import type { ExpertStatus, ExpertTier } from '#db/schema.ts'
import { statusLabel, termStateLabel, tierLabel } from '../labels.ts'
import type { TermState } from '../rules.ts'

const BASE = 'inline-block whitespace-nowrap rounded border px-2 py-0.5 text-sm'

const STATUS_STYLE: Record<ExpertStatus, string> = {
  active: 'border-green-700 bg-green-50 text-green-900',
  suspended: 'border-amber-600 bg-amber-50 text-amber-900',
  retired: 'border-slate-400 bg-slate-50 text-slate-700',
  removed: 'border-red-700 bg-red-50 text-red-900',
}

export function StatusBadge({ status }: { status: ExpertStatus }) {
  const t = useT()
  return <span className={`${BASE} ${STATUS_STYLE[status]}`}>{t(statusLabel(status))}</span>
}

export function TierBadge({ tier }: { tier: ExpertTier }) {
  const t = useT()
  return <span className={`${BASE} border-accent-600 bg-accent-50 text-accent-800`}>{t(tierLabel(tier))}</span>
}

const TERM_STYLE: Record<TermState, string> = {
  notStarted: 'border-slate-400 bg-slate-50 text-slate-700',
  current: 'border-slate-300 bg-white text-slate-700',
  expiring: 'border-amber-600 bg-amber-50 text-amber-900',
  expired: 'border-red-700 bg-red-50 text-red-900',
}

export function TermBadge({ state }: { state: TermState }) {
  const t = useT()
  return <span className={`${BASE} ${TERM_STYLE[state]}`}>{t(termStateLabel(state))}</span>
}
