import { useT } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/lib/i18n.ts'
import { CHECKLIST } from './model.ts'

/** The automatic 调解协议书 checklist, shown to the author and to graders. */
export function Checklist({ checklist }: { checklist: Record<(typeof CHECKLIST)[number], boolean> }) {
  const t = useT()
  return (
    <section className="card mt-4" aria-labelledby="checklist" data-testid="checklist">
      <h2 id="checklist" className="text-lg">
        {t('drills.checklist')}
      </h2>
      <p className="text-sm text-slate-600">{t('drills.checklistHint')}</p>
      <ul className="mt-2 space-y-1">
        {CHECKLIST.map((key) => (
          <li key={key} data-check={key} data-present={checklist[key] ? 'yes' : 'no'}>
            {checklist[key] ? '✓' : '✗'} {t(`drills.check.${key}` as MessageKey)}
          </li>
        ))}
      </ul>
    </section>
  )
}
