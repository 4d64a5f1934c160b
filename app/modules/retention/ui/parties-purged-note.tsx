import { useT } from '#app/components/i18n.tsx'

/** Says on the case page why the parties read 当事人1… instead of names and ID numbers. */
export function PartiesPurgedNote({ at }: { at: string }) {
  const t = useT()
  return (
    <p className="mt-1 rounded border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="parties-purged">
      {t('retention.caseNote', { at: t.date(at) })}
    </p>
  )
}
