// `npm run admin:create`: creates an admin from the server's command line (see --help); the logic is in lib/setup.
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { migrateDb } from '@/db/migrate';
import { withDb } from '@/db/script';
import type { AdminIo } from '@/lib/setup/create-admin';
import { USAGE, createAdmin, gatherAdminInput, parseArgs, readPasswordFile } from '@/lib/setup/create-admin';

/** Questions on the terminal; a hidden one stops echoing what is typed until Enter. */
function terminalIo(): AdminIo & { close: () => void } {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stdout.write(chunk, encoding);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  // Without a listener readline swallows Ctrl+C; leaving then must create nothing.
  rl.on('SIGINT', () => {
    process.stdout.write('\nCancelled; nothing was created.\n');
    process.exit(130);
  });
  // Lines are queued as they come, so a line typed or pasted before its question is asked is not lost.
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  rl.on('line', (line) => (waiting.length > 0 ? waiting.shift()!(line) : lines.push(line)));
  const ask = (question: string) => {
    output.write(question);
    return lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise<string>((resolve) => waiting.push(resolve));
  };
  return {
    terminal: true,
    ask,
    async askHidden(question) {
      process.stdout.write(question);
      muted = true;
      try {
        return await ask('');
      } finally {
        muted = false;
        process.stdout.write('\n');
      }
    },
    readStdin: () => Promise.reject(new Error('standard input is the terminal')),
    readFile: readPasswordFile,
    tell: (line) => console.error(line),
    close: () => rl.close(),
  };
}

function pipedIo(): AdminIo & { close: () => void } {
  const refuse = () => Promise.reject(new Error('no terminal'));
  return {
    terminal: false,
    ask: refuse,
    askHidden: refuse,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    readFile: readPasswordFile,
    tell: (line) => console.error(line),
    close: () => {},
  };
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(parsed.message);
    return 2;
  }
  if ('help' in parsed) {
    console.log(USAGE);
    return 0;
  }
  const io = process.stdin.isTTY && process.stdout.isTTY ? terminalIo() : pipedIo();
  const gathered = await gatherAdminInput(parsed.args, io).finally(() => io.close());
  if (!gathered.ok) {
    console.error(gathered.message);
    return 1;
  }
  return withDb(async (handle) => {
    // A fresh database may not have its tables yet: the admin can be made before the first start.
    await migrateDb(handle);
    const result = await createAdmin(handle.db, gathered.input);
    if (!result.ok) {
      console.error(result.message);
      return 1;
    }
    console.log(`Admin ${result.email} created (user ${result.id}, ${handle.driver}). Sign in with this e-mail and password.`);
    return 0;
  });
}

main()
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error('The admin could not be created:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
