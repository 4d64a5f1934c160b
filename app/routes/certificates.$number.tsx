import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { verifyCertificate } from '#app/modules/training/certificates.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.verify.title')

/**
 * Public certificate verification (no sign-in): the QR code on a certificate points here. Shows
 * only the masked name, course, hours, date and status; unknown numbers answer 404.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const number = (params.number ?? '').slice(0, 32)
  const certificate = await verifyCertificate(getDb(), number)
  return data({ number, certificate }, { status: certificate ? 200 : 404, headers: { 'Cache-Control': 'no-store' } })
}

export default function VerifyCertificate() {
  const t = useT()
  const { number, certificate: c } = useLoaderData<typeof loader>()
  return (
    <main className="mx-auto max-w-xl px-4 py-8">
      <h1 className="mb-4 text-2xl">{t('training.verify.title')}</h1>
      {c ? (
        <div className="card" data-testid="verification">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="text-slate-600">{t('training.certificate.number')}</dt>
            <dd className="break-all font-mono">{c.number}</dd>
            <dt className="text-slate-600">{t('training.verify.holder')}</dt>
            <dd>{c.holder}</dd>
            <dt className="text-slate-600">{t('training.verify.course')}</dt>
            <dd>{c.title}</dd>
            <dt className="text-slate-600">{t('training.verify.hours')}</dt>
            <dd>{c.hours}</dd>
            <dt className="text-slate-600">{t('training.verify.issuedOn')}</dt>
            <dd>{t.date(c.issuedOn)}</dd>
            <dt className="text-slate-600">{t('training.verify.status')}</dt>
            <dd
              className={c.status === 'valid' ? 'font-semibold text-emerald-700' : 'font-semibold text-red-700'}
              data-testid="certificate-status"
            >
              {c.status === 'valid' ? t('training.verify.valid') : t('training.verify.revoked')}
            </dd>
          </dl>
          <p className="mt-4 text-sm text-slate-600">{t('training.verify.note')}</p>
        </div>
      ) : (
        <p className="card">{t('training.verify.notFound', { number })}</p>
      )}
    </main>
  )
}
