'use client';

import { useEffect } from 'react';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';

// Shows a plain message and the error's digest for support; never the error's text or stack.
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('errors');
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-xl font-semibold text-slate-900">{t('genericTitle')}</h1>
      <p className="mt-2 text-slate-600">{t('genericText')}</p>
      {error.digest && <p className="mt-2 text-xs text-slate-500">{t('reference', { digest: error.digest })}</p>}
      <Button className="mt-6" onClick={reset}>
        {t('retry')}
      </Button>
    </div>
  );
}
