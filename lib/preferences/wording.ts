// The preference centre's own wording, versioned: a grant's evidence names the exact sentence the customer agreed to
// and the version of the page it stood on. The version is a digest of the page's texts in that language, so any change
// to them makes a new version by itself, and a grant can never name a version whose words differ from those shown.
import { createHash } from 'node:crypto';
import type { Channel, Purpose } from '@/lib/consent';
import { publicCatalog } from '@/lib/public/i18n';
import type { PublicLocale } from '@/lib/public/locale';

export const PREFERENCES_NAMESPACE = 'preferences';

type Texts = { wording: Record<Channel, Record<Purpose, string>> } & Record<string, unknown>;

export type PageWording = {
  /** `preferences/<locale>/<digest>`: what the page said, in this language. */
  version: string;
  /** The sentence shown beside the button that grants this channel and purpose. */
  sentence: (channel: Channel, purpose: Purpose) => string;
};

export async function pageWording(locale: PublicLocale): Promise<PageWording> {
  const texts = (await publicCatalog(locale))[PREFERENCES_NAMESPACE] as unknown as Texts;
  const digest = createHash('sha256').update(JSON.stringify(texts)).digest('hex').slice(0, 12);
  return { version: `preferences/${locale}/${digest}`, sentence: (channel, purpose) => texts.wording[channel][purpose] };
}
