import { getTranslations } from 'next-intl/server';

/** A shell command, shown as it is to be pasted. */
function Command({ id, children }: { id: string; children: string }) {
  return (
    <pre
      data-testid={`curl-${id}`}
      className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100"
      tabIndex={0}
      aria-label={id}
    >
      <code>{children}</code>
    </pre>
  );
}

/** "How to call it": a curl command for every endpoint of /api/v1, with the installation's address. */
export async function CurlExamples({ origin }: { origin: string }) {
  const t = await getTranslations('apiSettings.howTo');
  const base = `${origin}/api/v1`;
  const auth = '-H "Authorization: Bearer $ZGODA_API_KEY"';
  const examples: Array<{ id: string; scope: string | null; command: string }> = [
    {
      id: 'customers',
      scope: 'customers:write',
      command: `curl -sS -X POST ${base}/customers \\
  ${auth} \\
  -H "Content-Type: application/json" \\
  -H "Idempotency-Key: $(uuidgen)" \\
  -d '{"externalId": "C-10042", "email": "anna.schmidt@example.de", "phone": "+49 151 23456789",
       "market": "DE", "firstName": "Anna", "lastName": "Schmidt", "language": "de"}'`,
    },
    {
      id: 'grant',
      scope: 'consent:write',
      command: `curl -sS -X POST ${base}/consent-events \\
  ${auth} \\
  -H "Content-Type: application/json" \\
  -H "Idempotency-Key: order-10042-newsletter" \\
  -d '{"externalId": "C-10042", "channel": "email", "purpose": "marketing", "kind": "granted",
       "occurredAt": "2026-03-01T10:15:00Z", "source": "checkout", "doubleOptIn": true,
       "evidence": {"wording": "Ja, ich möchte den Newsletter mit Angeboten per E-Mail erhalten.",
                    "formVersion": "checkout v7", "ip": "203.0.113.7", "userAgent": "Mozilla/5.0 ..."}}'`,
    },
    {
      id: 'withdraw',
      scope: 'consent:write',
      command: `curl -sS -X POST ${base}/consent-events \\
  ${auth} \\
  -H "Content-Type: application/json" \\
  -d '{"email": "anna.schmidt@example.de", "channel": "email", "purpose": "all", "kind": "withdrawn",
       "occurredAt": "2026-05-02T08:00:00Z", "source": "account_settings",
       "evidence": {"reason": "Unticked the newsletter in her account"}}'`,
    },
    {
      id: 'decision',
      scope: 'decisions:read',
      command: `curl -sS -G ${base}/decision \\
  ${auth} \\
  --data-urlencode "email=anna.schmidt@example.de" \\
  -d channel=email -d purpose=marketing`,
    },
    { id: 'openapi', scope: null, command: `curl -sS ${base}/openapi.json` },
  ];
  return (
    <section aria-labelledby="api-how-to" className="space-y-4">
      <h2 id="api-how-to" className="text-base font-semibold text-slate-900">
        {t('title')}
      </h2>
      <p className="max-w-3xl text-sm text-slate-600">{t('intro')}</p>
      {examples.map((e) => (
        <div key={e.id} className="space-y-1">
          <h3 className="text-sm font-medium text-slate-900">
            {t(`${e.id}.title`)}
            {e.scope && <span className="ml-2 text-xs font-normal text-slate-500">{t('needs', { scope: e.scope })}</span>}
          </h3>
          <p className="max-w-3xl text-sm text-slate-600">{t(`${e.id}.text`)}</p>
          <Command id={e.id}>{e.command}</Command>
        </div>
      ))}
      <p className="max-w-3xl text-sm text-slate-600">{t('errors')}</p>
    </section>
  );
}
