import { describe, expect, it } from 'vitest';
import de from './messages/de.json';
import en from './messages/en.json';
import pl from './messages/pl.json';

type Catalog = { [key: string]: string | Catalog };

function keys(catalog: Catalog, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

const catalogs: Record<string, Catalog> = { en, pl, de };

describe('message catalogs', () => {
  const all = new Set(Object.values(catalogs).flatMap((c) => keys(c)));
  it.each(Object.keys(catalogs))('%s has every key another catalog has', (name) => {
    const own = new Set(keys(catalogs[name]!));
    expect([...all].filter((k) => !own.has(k))).toEqual([]);
  });

  it.each(Object.keys(catalogs))('%s has no empty texts', (name) => {
    const empty = keys(catalogs[name]!).filter((k) => {
      const value = k
        .split('.')
        .reduce<string | Catalog | undefined>((c, part) => (typeof c === 'object' ? c[part] : undefined), catalogs[name]);
      return typeof value !== 'string' || value.trim() === '';
    });
    expect(empty).toEqual([]);
  });
});
