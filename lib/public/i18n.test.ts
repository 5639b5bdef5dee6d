import { describe, expect, it } from 'vitest';
import { PUBLIC_LOCALES } from './locale';
import { publicCatalog, publicMessages, publicTranslator } from './i18n';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

function texts(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : texts(v)));
}

describe('public catalogs', () => {
  it('have every key in every language, none empty', async () => {
    const catalogs = await Promise.all(PUBLIC_LOCALES.map(async (l) => [l, (await publicCatalog(l)) as Tree] as const));
    const all = new Set(catalogs.flatMap(([, c]) => keys(c)));
    for (const [locale, catalog] of catalogs) {
      expect({ locale, missing: [...all].filter((k) => !keys(catalog).includes(k)) }).toEqual({ locale, missing: [] });
      expect({ locale, empty: texts(catalog).filter((t) => !t.trim()) }).toEqual({ locale, empty: [] });
    }
  });

  it('translate in the language asked for, not the dashboard one', async () => {
    expect((await publicTranslator('fr', 'public'))('linkExpiredTitle')).toBe('Ce lien a expiré');
    expect((await publicTranslator('nl', 'public'))('linkUsedTitle')).toBe('Deze link is al gebruikt');
  });

  it('give client components only the namespaces asked for', async () => {
    expect(Object.keys(await publicMessages('es', ['public', 'nothing']))).toEqual(['public']);
  });
});
