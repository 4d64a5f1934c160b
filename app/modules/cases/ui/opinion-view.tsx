import { useT } from '#app/components/i18n.tsx'

export interface OpinionFields {
  opinion_issues: string | null
  opinion_analysis: string | null
  opinion_resolution: string | null
  opinion_legal_basis: string | null
  hours_tenths: number | null
}

/** An expert's consultation opinion (专家意见) and hours, as staff and the expert both read it. */
export function OpinionView({ opinion }: { opinion: OpinionFields }) {
  const t = useT()
  const parts = [
    ['cases.opinion.issues', opinion.opinion_issues],
    ['cases.opinion.analysis', opinion.opinion_analysis],
    ['cases.opinion.resolution', opinion.opinion_resolution],
    ['cases.opinion.legalBasis', opinion.opinion_legal_basis],
  ] as const
  return (
    <>
      {parts.map(([label, text]) => (
        <p key={label}>
          <strong>{t(label)}：</strong>
          {text}
        </p>
      ))}
      <p>
        {t('cases.consultation.hours')}：{(opinion.hours_tenths ?? 0) / 10}
      </p>
    </>
  )
}
