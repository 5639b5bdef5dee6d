import { describe, expect, it } from 'vitest';
import { processWide } from './process-wide';

describe('processWide', () => {
  it('gives every caller of a name the same value, made once', () => {
    let made = 0;
    const create = () => ({ n: ++made });
    const first = processWide('test-shared', create);
    const again = processWide('test-shared', create);
    expect(again).toBe(first);
    expect(made).toBe(1);
  });

  it('keeps the value on globalThis, where another copy of a module finds it under the same name', () => {
    const value = processWide('test-global', () => new Map<string, number>());
    expect((globalThis as unknown as Record<symbol, unknown>)[Symbol.for('zgoda.test-global')]).toBe(value);
    expect(processWide('test-other', () => new Map<string, number>())).not.toBe(value);
  });
});
