/**
 * The freshly issued secrets of a client, shown once right after registration or rotation.
 */
import { useT } from '#app/components/i18n.tsx'

export function IssuedSecretsPanel({ clientId, secret, webhookSecret }: { clientId: string; secret?: string; webhookSecret?: string }) {
  const t = useT()
  return (
    <section className="card mb-6 border-l-4 border-accent-600" aria-labelledby="secret-heading" data-testid="issued-secrets">
      <h2 id="secret-heading" className="text-lg">
        {t('api.secret.heading')}
      </h2>
      <p className="mt-1 text-slate-700">{t('api.secret.onceOnly')}</p>
      <dl className="mt-3 grid gap-3">
        <div>
          <dt className="label">{t('api.field.clientId')}</dt>
          <dd>
            <code className="break-all font-mono text-sm" data-testid="client-id">
              {clientId}
            </code>
          </dd>
        </div>
        {secret ? (
          <div>
            <dt className="label">{t('api.field.secret')}</dt>
            <dd>
              <input
                className="input font-mono text-sm"
                readOnly
                value={secret}
                aria-label={t('api.field.secret')}
                data-testid="client-secret"
              />
            </dd>
          </div>
        ) : null}
        {webhookSecret ? (
          <div>
            <dt className="label">{t('api.field.webhookSecret')}</dt>
            <dd>
              <input
                className="input font-mono text-sm"
                readOnly
                value={webhookSecret}
                aria-label={t('api.field.webhookSecret')}
                data-testid="webhook-secret"
              />
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  )
}
