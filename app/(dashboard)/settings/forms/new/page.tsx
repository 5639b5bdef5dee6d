import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { FormEditor } from '@/components/opt-in/form-editor';
import { Card } from '@/components/ui/card';
import { requireRole } from '@/lib/auth/session';
import { EU_MEMBER_STATES } from '@/lib/consent';
import { PUBLIC_LOCALES, PUBLIC_LOCALE_NAMES } from '@/lib/public/locale';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('optIn'))('newForm') };
}

export default async function NewOptInFormPage() {
  await requireRole('admin');
  const t = await getTranslations('optIn');
  return (
    <Card>
      <h2 className="mb-4 text-base font-semibold text-slate-900">{t('newForm')}</h2>
      <FormEditor
        value={{
          id: null,
          slug: '',
          shopName: '',
          privacyUrl: '',
          language: 'de',
          market: 'DE',
          alwaysDoubleOptIn: false,
          active: true,
          allowedOrigins: [],
          boxes: [],
        }}
        languages={PUBLIC_LOCALES.map((code) => ({ code, name: PUBLIC_LOCALE_NAMES[code] }))}
        markets={[...EU_MEMBER_STATES].sort()}
      />
    </Card>
  );
}
