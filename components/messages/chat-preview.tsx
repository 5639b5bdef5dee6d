// A WhatsApp-like chat bubble of the template with its examples filled in and promotional passages marked.
import type { ReactNode } from 'react';
import type { PromoMatch } from '@/lib/whatsapp/linter';
import type { TemplateDraft } from '@/lib/whatsapp/template-rules';
import { fillExamples } from '@/lib/whatsapp/template-rules';

/** The text in pieces: marked passages (with their kind as a tooltip) and the rest, examples filled in each. */
function marked(text: string, matches: PromoMatch[], examples: readonly string[], kindLabel: (kind: string) => string): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  for (const m of matches) {
    if (m.start < at) continue;
    if (m.start > at) out.push(fillExamples(text.slice(at, m.start), examples));
    out.push(
      <mark key={m.start} title={kindLabel(m.kind)} data-promo={m.kind} className="rounded-sm bg-amber-200 px-0.5 text-slate-900">
        {fillExamples(text.slice(m.start, m.end), examples)}
      </mark>,
    );
    at = m.end;
  }
  if (at < text.length) out.push(fillExamples(text.slice(at), examples));
  return out;
}

export function ChatPreview({
  draft,
  promotional,
  title,
  kindLabel,
}: {
  draft: Pick<TemplateDraft, 'header' | 'headerExample' | 'body' | 'footer' | 'buttons' | 'examples'>;
  promotional: PromoMatch[];
  title: string;
  kindLabel: (kind: string) => string;
}) {
  const of = (field: PromoMatch['field']) => promotional.filter((m) => m.field === field);
  const headerExample = draft.headerExample ? [draft.headerExample] : [];
  return (
    <figure aria-label={title} className="rounded-lg bg-[#efe7dd] p-4 ring-1 ring-slate-200" data-testid="chat-preview">
      <figcaption className="mb-2 text-xs font-medium text-slate-600">{title}</figcaption>
      <div className="max-w-sm">
        <div className="rounded-lg rounded-tl-none bg-white px-3 py-2 text-sm text-slate-900 shadow-sm">
          {draft.header && <p className="mb-1 font-semibold break-words">{marked(draft.header, of('header'), headerExample, kindLabel)}</p>}
          <p className="whitespace-pre-wrap break-words">{marked(draft.body, of('body'), draft.examples, kindLabel)}</p>
          {draft.footer && <p className="mt-1 text-xs text-slate-500 break-words">{marked(draft.footer, of('footer'), [], kindLabel)}</p>}
          <p className="mt-1 text-right text-[10px] text-slate-500">12:00</p>
        </div>
        {draft.buttons.length > 0 && (
          <ul className="mt-1 space-y-1">
            {draft.buttons.map((b, i) => (
              <li key={i} className="rounded-lg bg-white px-3 py-2 text-center text-sm font-medium text-sky-700 shadow-sm break-words">
                {b.type === 'url' ? '↗ ' : b.type === 'phone_number' ? '✆ ' : ''}
                {b.text || '…'}
              </li>
            ))}
          </ul>
        )}
      </div>
    </figure>
  );
}
