import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { SectionIntro } from '@/components/shell/section-intro';
import { requireSection } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('monitor') };
}

export default async function MonitorPage() {
  await requireSection('monitor');
  return <SectionIntro section="monitor" />;
}
