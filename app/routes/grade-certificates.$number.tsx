import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { verifyGradeCertificate } from '#app/modules/grading/certificates.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.verify.title')

/**
 * Public verification of a grade certificate (no sign-in; the QR code on the certificate points
 * here): standing, grade, holder's name, awarding association and validity. Nothing else.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const number = (params.number ?? '').slice(0, 32)
  const certificate = await verifyGradeCertificate(getDb(), number, todayInChina())
  return data({ number, certificate }, { status: certificate ? 200 : 404, headers: { 'Cache-Control': 'no-store' } })
}

const STANDING_STYLE = { valid: 'text-emerald-700', revoked: 'text-red-700', expired: 'text-amber-800' } as const

export default function VerifyGradeCertificate() {
  const t = useT()
  const { number, certificate: c } = useLoaderData<typeof loader>()
  return (
    <main className="mx-auto max-w-xl px-4 py-8">
      <h1 className="mb-4 text-2xl">{t('gradingNotice.verify.title')}</h1>
      {c ? (
        <div className="card" data-testid="grade-verification">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="text-slate-600">{t('gradingNotice.certificate.number')}</dt>
            <dd className="break-all font-mono">{c.number}</dd>
            <dt className="text-slate-600">{t('gradingNotice.verify.standing')}</dt>
            <dd className={`font-semibold ${STANDING_STYLE[c.standing]}`} data-testid="grade-standing">
              {t(`gradingNotice.verify.${c.standing}`)}
            </dd>
            <dt className="text-slate-600">{t('gradingNotice.verify.holder')}</dt>
            <dd>{c.holderName}</dd>
            <dt className="text-slate-600">{t('gradingNotice.verify.grade')}</dt>
            <dd data-testid="grade-name">{c.gradeName}</dd>
            <dt className="text-slate-600">{t('gradingNotice.verify.association')}</dt>
            <dd>{c.associationName}</dd>
            <dt className="text-slate-600">{t('gradingNotice.verify.validity')}</dt>
            <dd>{t('gradingNotice.verify.validityRange', { from: t.date(c.issuedOn), until: t.date(c.validUntil) })}</dd>
          </dl>
        </div>
      ) : (
        <p className="card">{t('gradingNotice.verify.notFound', { number })}</p>
      )}
    </main>
  )
}
