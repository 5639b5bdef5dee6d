import Link from 'next/link';
import { buttonClass } from './button';

type Labels = { previous: string; next: string; status: string; nav: string };

export function Pagination({ page, pages, href, labels }: { page: number; pages: number; href: (page: number) => string; labels: Labels }) {
  return (
    <nav aria-label={labels.nav} className="mt-4 flex items-center justify-between text-sm text-slate-600">
      <span>{labels.status}</span>
      <span className="flex gap-2">
        {page > 1 ? (
          <Link className={buttonClass('secondary')} href={href(page - 1)} rel="prev">
            {labels.previous}
          </Link>
        ) : (
          <span className={buttonClass('secondary', 'pointer-events-none opacity-50')} aria-disabled="true">
            {labels.previous}
          </span>
        )}
        {page < pages ? (
          <Link className={buttonClass('secondary')} href={href(page + 1)} rel="next">
            {labels.next}
          </Link>
        ) : (
          <span className={buttonClass('secondary', 'pointer-events-none opacity-50')} aria-disabled="true">
            {labels.next}
          </span>
        )}
      </span>
    </nav>
  );
}
