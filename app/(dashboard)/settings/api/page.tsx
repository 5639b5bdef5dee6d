import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CreateApiKeyForm, RevokeApiKeyForm } from '@/components/api/api-key-forms';
import { CurlExamples } from '@/components/api/curl-examples';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { getDb } from '@/db';
import { listApiKeys } from '@/lib/api/keys';
import { requireRole } from '@/lib/auth/session';
import { requestHost, servedOverTls } from '@/lib/http/forwarded';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('apiSettings'))('tab') };
}

export default async function ApiSettingsPage() {
  await requireRole('admin');
  const [t, format, keys, h] = await Promise.all([getTranslations('apiSettings'), getFormatter(), listApiKeys(await getDb()), headers()]);
  const origin = process.env.AUTH_URL?.replace(/\/+$/, '') || `${servedOverTls(h) ? 'https' : 'http'}://${requestHost(h) ?? 'localhost'}`;
  return (
    <div className="space-y-8">
      <p className="max-w-3xl text-sm text-slate-600">{t('intro')}</p>
      <Table caption={t('caption')}>
        <thead>
          <tr>
            <Th>{t('name')}</Th>
            <Th>{t('prefix')}</Th>
            <Th>{t('scopes')}</Th>
            <Th>{t('createdAt')}</Th>
            <Th>{t('lastUsed')}</Th>
            <Th>{t('status')}</Th>
            <Th>
              <span className="sr-only">{t('actions')}</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.length === 0 && (
            <tr>
              <Td colSpan={7} className="text-slate-500">
                {t('none')}
              </Td>
            </tr>
          )}
          {keys.map((k) => (
            <tr key={k.id} data-testid={`api-key-row-${k.name}`}>
              <Td className="font-medium">{k.name}</Td>
              <Td>
                <code className="text-xs">{k.prefix}…</code>
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  {k.scopes.map((s) => (
                    <Badge key={s} tone="neutral">
                      {s}
                    </Badge>
                  ))}
                </div>
              </Td>
              <Td className="whitespace-nowrap">
                {format.dateTime(k.createdAt, 'long')}
                {k.createdBy && <span className="block text-xs text-slate-500">{t('by', { name: k.createdBy })}</span>}
              </Td>
              <Td className="whitespace-nowrap">{k.lastUsedAt ? format.dateTime(k.lastUsedAt, 'long') : t('never')}</Td>
              <Td>
                {k.revokedAt ? (
                  <>
                    <Badge tone="neutral">{t('statusRevoked')}</Badge>
                    <span className="block whitespace-nowrap pt-1 text-xs text-slate-500">{format.dateTime(k.revokedAt, 'long')}</span>
                  </>
                ) : (
                  <Badge tone="good">{t('active')}</Badge>
                )}
              </Td>
              <Td>{!k.revokedAt && <RevokeApiKeyForm id={k.id} name={k.name} />}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Card>
        <h2 className="mb-4 text-base font-semibold text-slate-900">{t('createTitle')}</h2>
        <CreateApiKeyForm />
      </Card>
      <Card>
        <CurlExamples origin={origin} />
      </Card>
    </div>
  );
}
