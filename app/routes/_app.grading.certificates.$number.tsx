import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { qrDataUrl } from '#app/lib/qr.server.ts'
import { requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { getGradeCertificate } from '#app/modules/grading/certificates.server.ts'
import printCss from '#app/modules/training/print.css?url'

// The A4 sheet and print rules are the training certificates' (one certificate look).
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: printCss }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.certificate.title')

/** The printable A4 grade certificate: the holder, their organisation's manager, the association and bureau staff in scope. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:view')
  const found = await getGradeCertificate(getDb(), params.number ?? '')
  if (!found) notFound()
  await requireRecordAccess(request, user, 'grading:view', { type: 'grade_certificate', id: found.number, ...found.scope })
  const verifyUrl = `${getEnv().APP_ORIGIN}/grade-certificates/${found.number}`
  return {
    certificate: {
      number: found.number,
      holderName: found.holderName,
      gradeName: found.gradeName,
      associationName: found.associationName,
      issuedOn: found.issuedOn,
      validUntil: found.validUntil,
      status: found.status,
    },
    verifyUrl,
    qr: await qrDataUrl(verifyUrl),
  }
}

export default function GradeCertificatePage() {
  const t = useT()
  const { certificate: c, verifyUrl, qr } = useLoaderData<typeof loader>()
  return (
    <>
      <div className="no-print mb-4 flex justify-end">
        <button type="button" className="btn-primary" onClick={() => window.print()}>
          {t('gradingNotice.certificate.print')}
        </button>
      </div>
      <article className="certificate-sheet cjk-serif text-center" data-testid="grade-certificate">
        <h1 className="mt-6 text-3xl tracking-[0.3em] text-red-900 sm:text-4xl">{t('gradingNotice.certificate.title')}</h1>
        {c.status === 'revoked' ? <p className="mt-4 text-xl font-bold text-red-700">{t('gradingNotice.certificate.revoked')}</p> : null}
        <p className="mx-auto mt-12 max-w-prose text-left text-xl leading-10 indent-8">
          {t('gradingNotice.certificate.body', { name: c.holderName, association: c.associationName, grade: c.gradeName })}
        </p>
        <dl className="mx-auto mt-12 grid max-w-md grid-cols-2 gap-2 text-left">
          <dt className="text-slate-600">{t('gradingNotice.certificate.number')}</dt>
          <dd className="font-mono">{c.number}</dd>
          <dt className="text-slate-600">{t('gradingNotice.certificate.issuedOn')}</dt>
          <dd>{t.date(c.issuedOn)}</dd>
          <dt className="text-slate-600">{t('gradingNotice.certificate.validUntil')}</dt>
          <dd>{t.date(c.validUntil)}</dd>
        </dl>
        <p className="mt-12 text-lg">{t('gradingNotice.certificate.issuer', { association: c.associationName })}</p>
        <div className="mt-10 flex flex-col items-center gap-2 text-sm text-slate-600">
          <img src={qr} alt={t('gradingNotice.certificate.qrAlt')} width={112} height={112} data-testid="grade-certificate-qr" />
          <p>
            {t('gradingNotice.certificate.verifyAt')}：<span className="break-all font-mono">{verifyUrl}</span>
          </p>
        </div>
      </article>
    </>
  )
}
