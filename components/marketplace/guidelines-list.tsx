import { AMAZON_GUIDELINES } from '@/lib/consent';

/** Amazon's own pages that `marketplace_policy` rests on, as links. */
export function GuidelinesList({ className }: { className?: string }) {
  return (
    <ul className={className ?? 'list-disc space-y-1 pl-5 text-xs text-slate-600'}>
      {AMAZON_GUIDELINES.map((g) => (
        <li key={g.url}>
          <a href={g.url} className="text-brand-800 hover:underline" rel="noreferrer noopener" target="_blank">
            {g.title}
          </a>
        </li>
      ))}
    </ul>
  );
}
