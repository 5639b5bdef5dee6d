import { describe, expect, it } from 'vitest';
import type { Role } from './roles';
import { canOpen, rolesForPath } from './roles';

describe('who may open what', () => {
  it.each<[path: string, role: Role, allowed: boolean]>([
    ['/', 'support', true],
    ['/customers', 'manager', true],
    ['/customers/12', 'support', true],
    ['/messages', 'support', false],
    ['/messages', 'manager', true],
    ['/monitor', 'support', false],
    ['/monitor', 'seller', true],
    ['/settings', 'support', true],
    ['/settings/users', 'support', false],
    ['/settings/users', 'seller', false],
    ['/settings/users', 'manager', false],
    ['/settings/users', 'admin', true],
    ['/messagesX', 'support', true],
    ['/replies', 'support', true],
    ['/replies', 'manager', true],
  ])('%s as %s: %s', (path, role, allowed) => {
    expect(rolesForPath(path).includes(role)).toBe(allowed);
  });

  it('hides messages and monitor from support only', () => {
    expect(canOpen('support', 'messages')).toBe(false);
    expect(canOpen('support', 'monitor')).toBe(false);
    expect(canOpen('manager', 'messages')).toBe(true);
  });
});
