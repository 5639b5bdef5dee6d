import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { GuidelinesList } from './guidelines-list';

/** On the customer page of an Amazon buyer: why most channels are closed, and what would open one. */
export async function MarketplaceNotice({ relayEmail }: { relayEmail: boolean }) {
  const t = await getTranslations('marketplace');
  return (
    <Alert tone="warning" className="mb-4">
      <div data-testid="marketplace-notice" className="space-y-2">
        <p>
          <Badge tone="warn">{t('customerBadge')}</Badge> {t('customerNote')}
        </p>
        {relayEmail && <p>{t('relayEmail')}</p>}
        <GuidelinesList />
      </div>
    </Alert>
  );
}
