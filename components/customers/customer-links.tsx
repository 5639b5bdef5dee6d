'use client';

import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';

type Link = { key: 'preferences' | 'unsubscribe'; url: string };

/** The customer's own links, each in a read-only field to select and a button that copies it. */
export function CustomerLinks({ links }: { links: Link[] }) {
  const t = useTranslations('customerLinks');
  const [status, setStatus] = useState<{ key: string; ok: boolean } | null>(null);
  const copy = async (link: Link) => {
    try {
      await navigator.clipboard.writeText(link.url);
      setStatus({ key: link.key, ok: true });
    } catch {
      // The clipboard needs a secure context and the user's permission; the field stays there to copy by hand.
      setStatus({ key: link.key, ok: false });
    }
  };
  return (
    <div className="space-y-3" data-testid="customer-links">
      {links.map((link) => (
        <div key={link.key} className="space-y-1">
          <label htmlFor={`link-${link.key}`} className="block text-sm font-medium text-slate-800">
            {t(link.key)}
          </label>
          <div className="flex gap-2">
            <Input
              id={`link-${link.key}`}
              readOnly
              value={link.url}
              className="font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
              data-testid={`link-${link.key}`}
            />
            <Button type="button" variant="secondary" onClick={() => copy(link)} aria-label={t('copyLabel', { name: t(link.key) })}>
              {t('copy')}
            </Button>
          </div>
        </div>
      ))}
      <p role="status" className="min-h-5 text-xs text-slate-600">
        {status ? (status.ok ? t('copied') : t('copyFailed')) : ''}
      </p>
    </div>
  );
}
