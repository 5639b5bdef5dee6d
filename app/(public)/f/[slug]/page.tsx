import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { PublicMessage, PublicPage } from '@/components/public/public-page';
import { PublicOptInForm } from '@/components/opt-in/public-form';
import { getDb } from '@/db';
import { formBySlug } from '@/lib/opt-in/forms';
import { boxKey, needsPhone } from '@/lib/opt-in/submit';
import { publicTranslator } from '@/lib/public/i18n';
import { isPublicLocale, publicLocale } from '@/lib/public/locale';

type Props = { params: Promise<{ slug: string }> };

async function load(slug: string) {
  return /^[a-z0-9-]{3,60}$/i.test(slug) ? formBySlug(await getDb(), slug) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = await load((await params).slug);
  if (!found || !isPublicLocale(found.version.language)) return {};
  const t = await publicTranslator(found.version.language, 'optIn');
  return { title: t('title', { shop: found.version.shopName }), robots: { index: false } };
}

/** A hosted opt-in form: the current version's words, in the form's language, nothing ticked. */
export default async function OptInFormPage({ params }: Props) {
  const { slug } = await params;
  const found = await load(slug);
  if (!found || !isPublicLocale(found.version.language)) {
    return <PublicMessage locale={publicLocale(null, (await headers()).get('accept-language'))} kind="notFound" />;
  }
  const { form, version } = found;
  const locale = found.version.language;
  const t = await publicTranslator(locale, 'optIn');
  const shop = version.shopName;
  if (!form.active) {
    return (
      <PublicPage locale={locale} title={t('closedTitle')} shop={shop}>
        <p className="text-slate-700">{t('closed')}</p>
      </PublicPage>
    );
  }
  return (
    <PublicPage locale={locale} title={t('title', { shop })} shop={shop}>
      <PublicOptInForm
        slug={form.slug}
        boxes={version.boxes.map((b) => ({ key: boxKey(b), wording: b.wording }))}
        askPhone={needsPhone(version.boxes)}
        privacyUrl={version.privacyUrl}
        text={{
          intro: t('intro', { shop }),
          boxesLegend: t('boxesLegend'),
          email: t('email'),
          phone: t('phone'),
          phoneHint: t('phoneHint'),
          privacy: t('privacy', { shop }),
          submit: t('submit'),
          submitting: t('submitting'),
        }}
      />
    </PublicPage>
  );
}
