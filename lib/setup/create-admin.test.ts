import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { verifyPassword } from '@/lib/auth/password';
import type { AdminArgs, AdminIo } from './create-admin';
import { createAdmin, gatherAdminInput, parseArgs, readPasswordFile, stripOneNewline } from './create-admin';

const GOOD = 'four words make it strong';

describe('admin:create command line', () => {
  it.each([
    ['nothing: ask for everything', [], { ok: true, args: { email: undefined, name: undefined, password: { from: 'prompt' } } }],
    [
      'flags with a password on standard input',
      ['--email', 'a@shop.example', '--name', 'Anna Nowak', '--password-stdin'],
      { ok: true, args: { email: 'a@shop.example', name: 'Anna Nowak', password: { from: 'stdin' } } },
    ],
    [
      'flags written with =, a password file',
      ['--email=a@shop.example', '--password-file=/run/secrets/admin'],
      { ok: true, args: { email: 'a@shop.example', name: undefined, password: { from: 'file', path: '/run/secrets/admin' } } },
    ],
    ['help', ['--help'], { ok: true, help: true }],
  ])('reads %s', (_case, argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([
    [
      'a password in the command line',
      ['--email', 'a@shop.example', '--password', GOOD],
      /Refused: --password would show the password .* \(ps\)/,
    ],
    ['a password in the command line, written with =', [`--password=${GOOD}`], /Refused: --password/],
    ['two password sources', ['--password-stdin', '--password-file', 'x'], /one way/],
    ['an unknown flag', ['--role', 'seller'], /Unknown argument "--role"/],
    ['a flag without its value', ['--email'], /--email needs a value/],
    ['a flag followed by another flag', ['--email', '--password-stdin'], /--email needs a value/],
  ])('refuses %s', (_case, argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('drops one trailing newline from a piped or filed password, nothing else', () => {
    expect(stripOneNewline(`${GOOD}\n`)).toBe(GOOD);
    expect(stripOneNewline(`${GOOD}\r\n`)).toBe(GOOD);
    expect(stripOneNewline(` ${GOOD} \n\n`)).toBe(` ${GOOD} \n`);
  });

  it('reads a password file and names one it cannot read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-admin-'));
    const file = path.join(dir, 'password');
    fs.writeFileSync(file, `${GOOD}\n`);
    expect(readPasswordFile(file)).toEqual({ ok: true, password: GOOD });
    expect(readPasswordFile(path.join(dir, 'missing'))).toEqual({
      ok: false,
      message: expect.stringMatching(/missing \(ENOENT\)\. Nothing was changed\./),
    });
    fs.rmSync(dir, { recursive: true });
  });
});

/** A terminal (or none) that answers from a script and records what the command said. */
function fakeIo(answers: string[], opts: { terminal: boolean; stdin?: string }) {
  const asked: string[] = [];
  const told: string[] = [];
  const answer = async (question: string) => {
    asked.push(question);
    const next = answers.shift();
    if (next === undefined) throw new Error(`unexpected question ${question}`);
    return next;
  };
  const io: AdminIo = {
    terminal: opts.terminal,
    ask: answer,
    askHidden: answer,
    readStdin: async () => opts.stdin ?? '',
    readFile: () => ({ ok: true, password: GOOD }),
    tell: (line) => told.push(line),
  };
  return { io, asked, told };
}

const prompt: AdminArgs = { password: { from: 'prompt' } };

describe('admin:create questions', () => {
  it('asks for name, e-mail and the password twice on a terminal', async () => {
    const { io, asked } = fakeIo(['Anna Nowak', 'a@shop.example', GOOD, GOOD], { terminal: true });
    expect(await gatherAdminInput(prompt, io)).toEqual({
      ok: true,
      input: { name: 'Anna Nowak', email: 'a@shop.example', password: GOOD, confirmation: GOOD },
    });
    expect(asked).toEqual(['Name: ', 'E-mail: ', expect.stringMatching(/^Password/), expect.stringMatching(/^The same password again/)]);
  });

  it('asks only the password again when the two differ, and names the problem', async () => {
    const { io, asked, told } = fakeIo(['Anna Nowak', 'a@shop.example', GOOD, `${GOOD}!`, GOOD, GOOD], { terminal: true });
    expect(await gatherAdminInput(prompt, io)).toMatchObject({ ok: true, input: { password: GOOD } });
    expect(told).toEqual(['The two passwords do not match. Try again.']);
    expect(asked.filter((q) => q === 'Name: ')).toHaveLength(1);
  });

  it('gives up after three weak passwords, saying why', async () => {
    const weak = 'password1234';
    const { io } = fakeIo(['Anna Nowak', 'a@shop.example', weak, weak, weak, weak, weak, weak], { terminal: true });
    expect(await gatherAdminInput(prompt, io)).toEqual({ ok: false, message: expect.stringMatching(/^The password is too common/) });
  });

  it('takes the flags and the piped password without asking anything', async () => {
    const { io, asked } = fakeIo([], { terminal: false, stdin: `${GOOD}\n` });
    const args: AdminArgs = { name: 'Anna Nowak', email: 'a@shop.example', password: { from: 'stdin' } };
    expect(await gatherAdminInput(args, io)).toEqual({
      ok: true,
      input: { name: 'Anna Nowak', email: 'a@shop.example', password: GOOD, confirmation: GOOD },
    });
    expect(asked).toEqual([]);
  });

  it('names the missing flags when there is no terminal to ask on', async () => {
    const { io } = fakeIo([], { terminal: false });
    expect(await gatherAdminInput({ email: 'a@shop.example', password: { from: 'prompt' } }, io)).toEqual({
      ok: false,
      message: 'No terminal to ask on, so give --name, --password-stdin or --password-file. See --help.',
    });
  });

  it('does not read a typed password from --password-stdin on a terminal, where it would be shown', async () => {
    const { io } = fakeIo([], { terminal: true });
    expect(await gatherAdminInput({ name: 'A', email: 'a@shop.example', password: { from: 'stdin' } }, io)).toMatchObject({
      ok: false,
      message: /piped in, not typed/,
    });
  });
});

describe.each(testDrivers())('admin:create on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  const input = (over: Partial<{ name: string; email: string; password: string; confirmation: string }> = {}) => ({
    name: 'Anna Nowak',
    email: ' Anna@Shop.example ',
    password: GOOD,
    confirmation: over.password ?? GOOD,
    ...over,
  });

  it('creates the first admin with an argon2id hash and an audit entry naming the command line', async () => {
    const result = await createAdmin(h.db, input());
    expect(result).toEqual({ ok: true, id: expect.any(Number), email: 'anna@shop.example' });
    const [row] = await h.db.select().from(users).where(eq(users.email, 'anna@shop.example'));
    expect(row).toMatchObject({ role: 'admin', active: true, name: 'Anna Nowak' });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row!.passwordHash, GOOD)).toBe(true);
    const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.create'));
    expect(audit).toMatchObject({ actorId: null, entity: 'user', entityId: String(row!.id) });
    expect(audit!.after).toEqual({ name: 'Anna Nowak', email: 'anna@shop.example', role: 'admin', via: 'command_line' });
  });

  it.each([
    [
      'an existing e-mail, whatever its case',
      input({ email: 'ANNA@shop.example' }),
      /^A user with the e-mail anna@shop\.example already exists\. Nothing was changed\./,
    ],
    [
      'a short password',
      input({ email: 'b@shop.example', password: 'short' }),
      /^The password is too short: use at least 12 characters\.$/,
    ],
    ['a common password', input({ email: 'b@shop.example', password: 'qwerty123456' }), /^The password is too common/],
    ['the e-mail as password', input({ email: 'bartosz@shop.example', password: 'bartosz@shop.example' }), /^The password is too common/],
    ['two different passwords', input({ email: 'b@shop.example', confirmation: `${GOOD}.` }), /^The two passwords do not match\.$/],
    ['a bad e-mail and no name', input({ email: 'b@', name: ' ' }), /Enter a name[\s\S]*Enter a valid e-mail address/],
  ])('refuses %s and changes nothing', async (_case, bad, message) => {
    const before = { users: await h.db.$count(users), audit: await h.db.$count(auditLog) };
    expect(await createAdmin(h.db, bad)).toEqual({ ok: false, message: expect.stringMatching(message) });
    expect({ users: await h.db.$count(users), audit: await h.db.$count(auditLog) }).toEqual(before);
  });

  it('creates another admin beside the first', async () => {
    expect(await createAdmin(h.db, input({ name: 'Bartosz Zieliński', email: 'bartosz@shop.example' }))).toMatchObject({ ok: true });
    expect(await h.db.$count(users, eq(users.role, 'admin'))).toBe(2);
  });
});
