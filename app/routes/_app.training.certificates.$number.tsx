import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { audit } from '#app/lib/audit.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { qrDataUrl } from '#app/lib/qr.server.ts'
import { actorOf, may, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { getCertificate, revokeCertificate } from '#app/modules/training/certificates.server.ts'
import { revokeSchema } from '#app/modules/training/session-schemas.ts'
import printCss from '#app/modules/training/print.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: printCss }]

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.certificate.title')

/** The printable A4 certificate, for its holder and staff in scope. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:view')
  const found = await getCertificate(getDb(), params.number ?? '')
  if (!found) notFound()
  await requireRecordAccess(request, user, 'training:view', { type: 'training_certificate', id: found.number, ...found.scope })
  const verifyUrl = `${getEnv().APP_ORIGIN}/certificates/${found.number}`
  return {
    certificate: {
      number: found.number,
      holderName: found.holderName,
      title: found.title,
      hours: found.hours,
      issuedOn: found.issuedOn,
      status: found.status,
    },
    verifyUrl,
    qr: await qrDataUrl(verifyUrl),
    canRevoke: found.status === 'valid' && may(user, 'training:manage', found.scope),
  }
}

/** Revokes a certificate (staff in scope, with a reason, audited); the public page then says so. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const db = getDb()
  const found = await getCertificate(db, params.number ?? '')
  if (!found) notFound()
  await requireRecordAccess(request, user, 'training:manage', { type: 'training_certificate', id: found.number, ...found.scope })
  const submission = parseWithZod(await request.formData(), { schema: revokeSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  await revokeCertificate(db, found.number, submission.value.reason)
  await audit(db, request, actorOf(user), {
    action: 'training.certificate_revoked',
    recordType: 'training_certificate',
    recordId: found.number,
    detail: { reason: submission.value.reason },
  })
  return redirectWithFlash(`/training/certificates/${found.number}`, { kind: 'success', message: 'training.certificate.revokedNow' })
}

export default function CertificatePage() {
  const t = useT()
  const { certificate: c, verifyUrl, qr, canRevoke } = useLoaderData<typeof loader>()
  return (
    <>
      <div className="no-print mb-4 flex justify-end">
        <button type="button" className="btn-primary" onClick={() => window.print()}>
          {t('training.certificate.print')}
        </button>
      </div>
      <article className="certificate-sheet cjk-serif text-center" data-testid="certificate">
        <h1 className="mt-6 text-4xl tracking-[0.5em] text-red-900">{t('training.certificate.title')}</h1>
        {c.status === 'revoked' ? <p className="mt-4 text-xl font-bold text-red-700">{t('training.certificate.revoked')}</p> : null}
        <p className="mx-auto mt-12 max-w-prose text-left text-xl leading-10 indent-8">
          {t('training.certificate.body', { name: c.holderName, course: c.title, hours: c.hours })}
        </p>
        <dl className="mx-auto mt-12 grid max-w-md grid-cols-2 gap-2 text-left">
          <dt className="text-slate-600">{t('training.certificate.number')}</dt>
          <dd className="font-mono">{c.number}</dd>
          <dt className="text-slate-600">{t('training.certificate.issuedOn')}</dt>
          <dd>{t.date(c.issuedOn)}</dd>
        </dl>
        <p className="mt-12 text-lg">{t('training.certificate.issuer')}</p>
        <div className="mt-10 flex flex-col items-center gap-2 text-sm text-slate-600">
          <img src={qr} alt={t('training.certificate.qrAlt')} width={112} height={112} data-testid="certificate-qr" />
          <p>
            {t('training.certificate.verifyAt')}：<span className="break-all font-mono">{verifyUrl}</span>
          </p>
        </div>
      </article>
      {canRevoke ? (
        <Form method="post" className="no-print card mx-auto mt-4 max-w-xl space-y-2">
          <input type="hidden" name="intent" value="revoke" />
          <label htmlFor="reason" className="label">
            {t('training.certificate.revokeReason')}
          </label>
          <input id="reason" name="reason" required maxLength={500} className="input" />
          <button type="submit" className="btn-danger">
            {t('training.certificate.revoke')}
          </button>
        </Form>
      ) : null}
    </>
  )
}
