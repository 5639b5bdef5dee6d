import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { SectionIntro } from '@/components/shell/section-intro';
import { requireSection } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('messages') };
}

export default async function MessagesPage() {
  await requireSection('messages');
  return <SectionIntro section="messages" />;
}
