import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import { mailSettings } from '@/lib/mail/send';

/** Whether confirmation mails can go out on this instance: said plainly where admins and sellers would send them. */
export async function MailStatus() {
  const t = await getTranslations('optIn');
  return mailSettings() ? (
    <Alert tone="success">{t('mailReady')}</Alert>
  ) : (
    <Alert tone="warning" className="font-medium">
      {t('mailMissing')}
    </Alert>
  );
}
