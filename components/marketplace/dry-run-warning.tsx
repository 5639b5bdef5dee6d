import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert';

/** The dry run's warning about rows of Amazon buyers, who will be blocked by Amazon's rules. */
export async function MarketplaceDryRunWarning({ count }: { count: number | undefined }) {
  if (!count) return null;
  const t = await getTranslations('marketplace');
  return (
    <Alert tone="warning" className="mt-4">
      <span data-testid="import-marketplace">{t('dryRunWarning', { count })}</span>
    </Alert>
  );
}
