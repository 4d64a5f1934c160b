/**
 * The expert's consultation history (counts, rating, hours, recent cases) for the expert's page:
 * loaded from /cases/expert-history/:expertId, so the experts page includes it in one line.
 */
import { useFetcher } from '@remix-run/react'
import { useEffect } from 'react'
import { useT } from '#app/components/i18n.tsx'
import type { loader } from '#app/routes/_app.cases.expert-history.$expertId.tsx'
import { consultationStatusLabel } from '../model.ts'

export function ExpertHistoryPanel({ expertId }: { expertId: string }) {
  const t = useT()
  const fetcher = useFetcher<typeof loader>()
  const load = fetcher.load
  useEffect(() => {
    load(`/cases/expert-history/${expertId}`)
  }, [load, expertId])
  const data = fetcher.data
  if (!data) return <p className="text-slate-600">{t('experts.section.assignmentsEmpty')}</p>
  return (
    <div data-testid="expert-history">
      <p>
        {t('cases.history.summary', {
          active: data.active,
          completed: data.completed,
          rating: data.ratingAverage ?? '—',
          count: data.ratingCount,
          hours: data.hours,
        })}
      </p>
      {data.consultations.length ? (
        <ul className="mt-2 text-sm">
          {data.consultations.map((c) => (
            <li key={c.id}>
              {c.case_number} {c.title} · {t(consultationStatusLabel(c.status))}
              {c.rating ? ` · ${c.rating}/5` : ''}
              {c.hours_tenths ? ` · ${c.hours_tenths / 10} h` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
