// `npm run admin:create`: the first (or another) admin of an installation, made on the server's command line with the
// same validation, hashing and audit entry as the users page. The terminal parts live in scripts/admin-create.ts.
import fs from 'node:fs';
import type { Db } from '@/db';
import { passwordProblem } from '@/lib/auth/password-policy';
import type { NewUserInput } from '@/lib/users/manage';
import { createUser, newUserSchema } from '@/lib/users/manage';

export const USAGE = `Creates an admin of Zgoda in the database of DATABASE_URL (or the embedded one; stop \`npm start\` first).

  npm run admin:create                         asks for name, e-mail and password (twice, not shown)
  npm run admin:create -- --email a@shop.example --name "Anna Nowak" --password-stdin < password.txt
  npm run admin:create -- --email a@shop.example --name "Anna Nowak" --password-file /run/secrets/admin

--password-stdin reads the password from standard input, --password-file from a file (one trailing newline is
dropped). There is no --password flag: a password in the command line is visible to every user of the machine
in \`ps\` and stays in shell history.`;

export type AdminArgs = {
  email?: string;
  name?: string;
  password: { from: 'prompt' } | { from: 'stdin' } | { from: 'file'; path: string };
};
export type ParsedArgs = { ok: true; args: AdminArgs } | { ok: true; help: true } | { ok: false; message: string };

const VALUE_FLAGS = ['--email', '--name', '--password-file'] as const;

/** Reads the command line; refuses a password given in it, with the reason. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values: Partial<Record<(typeof VALUE_FLAGS)[number], string>> = {};
  let stdin = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') return { ok: true, help: true };
    if (flag === '--password' || flag === '-p') {
      return {
        ok: false,
        message:
          'Refused: --password would show the password to every user of this machine (ps) and keep it in shell history. Use --password-stdin or --password-file, or run without flags on a terminal to be asked.',
      };
    }
    if (flag === '--password-stdin') {
      stdin = true;
      continue;
    }
    const known = VALUE_FLAGS.find((f) => f === flag);
    if (!known) return { ok: false, message: `Unknown argument "${arg}". See --help.` };
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) return { ok: false, message: `${known} needs a value.` };
    values[known] = value;
  }
  if (stdin && values['--password-file'] !== undefined)
    return { ok: false, message: 'Give the password one way: --password-stdin or --password-file, not both.' };
  const password: AdminArgs['password'] = stdin
    ? { from: 'stdin' }
    : values['--password-file'] !== undefined
      ? { from: 'file', path: values['--password-file'] }
      : { from: 'prompt' };
  return { ok: true, args: { email: values['--email'], name: values['--name'], password } };
}

/** A password read from a file or a pipe: `echo` and editors add one newline at the end, which is not part of it. */
export function stripOneNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** Reads the password file; a missing or unreadable file is a refusal that names it. */
export function readPasswordFile(path: string): { ok: true; password: string } | { ok: false; message: string } {
  try {
    return { ok: true, password: stripOneNewline(fs.readFileSync(path, 'utf8')) };
  } catch (error) {
    return {
      ok: false,
      message: `Cannot read the password file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}). Nothing was changed.`,
    };
  }
}

export type AdminInput = { name: string; email: string; password: string; confirmation: string };
export type CreateAdminResult = { ok: true; id: number; email: string } | { ok: false; message: string };

// The users page's error codes (`password_too_short`) and the password policy's (`too_short`) name the same problems.
const PROBLEMS: Record<string, string> = {
  name_required: 'Enter a name (--name).',
  name_too_long: 'The name is too long: use at most 120 characters.',
  email_invalid: 'Enter a valid e-mail address (--email).',
  too_short: 'The password is too short: use at least 12 characters.',
  too_long: 'The password is too long: use at most 256 characters.',
  too_common:
    'The password is too common or too easy to guess (a well-known password, the name or e-mail, or one repeated character). Choose another.',
  mismatch: 'The two passwords do not match.',
};
const sentence = (code: string) => PROBLEMS[code.replace(/^password_/, '')] ?? code;

type Field = 'name' | 'email' | 'password';
type Checked = { ok: true; data: NewUserInput } | { ok: false; message: string; fields: Field[] };

/** The input as the users page would store it, or every problem with it as sentences and the fields they are in. */
export function checkAdminInput(input: AdminInput): Checked {
  const parsed = newUserSchema.safeParse({ name: input.name, email: input.email, role: 'admin', password: input.password });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => String(i.path[0]) as Field);
    return { ok: false, message: parsed.error.issues.map((i) => sentence(i.message)).join(' '), fields };
  }
  const problem = passwordProblem(input.password, input.confirmation, [parsed.data.email, parsed.data.name]);
  return problem ? { ok: false, message: sentence(problem), fields: ['password'] } : { ok: true, data: parsed.data };
}

/** Validates, hashes and stores the admin with an audit entry; a refusal changes nothing and says why. */
export async function createAdmin(db: Db, input: AdminInput): Promise<CreateAdminResult> {
  const checked = checkAdminInput(input);
  if (!checked.ok) return { ok: false, message: checked.message };
  const result = await createUser(db, checked.data, null, 'command_line');
  if (result.ok) return { ok: true, id: result.id, email: checked.data.email };
  // createUser refuses a new user for no other reason.
  return {
    ok: false,
    message: `A user with the e-mail ${checked.data.email} already exists. Nothing was changed. To give them a new password, an admin can make a reset link under Settings → Users.`,
  };
}

/** How the script talks to whoever runs it: a terminal to ask on (or none), standard input, files. */
export type AdminIo = {
  terminal: boolean;
  ask: (question: string) => Promise<string>;
  askHidden: (question: string) => Promise<string>;
  readStdin: () => Promise<string>;
  readFile: typeof readPasswordFile;
  tell: (line: string) => void;
};

const ATTEMPTS = 3;

/**
 * Collects a valid input from the flags, asking on the terminal for what they leave out; on a terminal a problem is
 * shown and only the answers it is about are asked again (three times at most). Without a terminal nothing is asked:
 * a missing flag or a problem is the answer.
 */
export async function gatherAdminInput(
  args: AdminArgs,
  io: AdminIo,
): Promise<{ ok: true; input: AdminInput } | { ok: false; message: string }> {
  let given: string | undefined;
  if (args.password.from === 'stdin') {
    if (io.terminal)
      return {
        ok: false,
        message: '--password-stdin reads a password piped in, not typed: run without it to be asked, or pipe the password in.',
      };
    given = stripOneNewline(await io.readStdin());
  } else if (args.password.from === 'file') {
    const read = io.readFile(args.password.path);
    if (!read.ok) return read;
    given = read.password;
  }
  const interactive = io.terminal && given === undefined;
  if (!interactive) {
    const missing = [
      args.name === undefined && '--name',
      args.email === undefined && '--email',
      given === undefined && '--password-stdin or --password-file',
    ].filter(Boolean);
    if (missing.length > 0) return { ok: false, message: `No terminal to ask on, so give ${missing.join(', ')}. See --help.` };
  }
  let name = args.name;
  let email = args.email;
  let password = given;
  let confirmation = given;
  for (let attempt = 1; ; attempt++) {
    name ??= await io.ask('Name: ');
    email ??= await io.ask('E-mail: ');
    password ??= await io.askHidden('Password (at least 12 characters, not shown): ');
    confirmation ??= await io.askHidden('The same password again: ');
    const input = { name, email, password, confirmation };
    const checked = checkAdminInput(input);
    if (checked.ok) return { ok: true, input };
    if (!interactive || attempt === ATTEMPTS) return { ok: false, message: checked.message };
    io.tell(`${checked.message} Try again.`);
    // Flags stay as given: a bad one cannot be fixed by asking, and is refused after the last attempt like any other.
    if (checked.fields.includes('name')) name = args.name;
    if (checked.fields.includes('email')) email = args.email;
    if (checked.fields.includes('password')) password = confirmation = undefined;
  }
}
