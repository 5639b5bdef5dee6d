// A real SMTP server on loopback for the tests: it accepts every mail and keeps it, parsed, for the test to read.
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type TestSmtp = {
  url: string;
  mails: ParsedMail[];
  /** The first mail to this address that arrives (or has arrived), within `ms`. */
  mailTo: (address: string, ms?: number) => Promise<ParsedMail>;
  close: () => Promise<void>;
};

/** `port` 0: any free port. */
export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Closing waits this long for open connections (a sender's pool keeps one): not smtp-server's 30 s.
    closeTimeout: 500,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as AddressInfo).port;
  const to = (mail: ParsedMail) =>
    (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address));
  return {
    url: `smtp://127.0.0.1:${bound}`,
    mails,
    async mailTo(address, ms = 15_000) {
      const until = Date.now() + ms;
      for (;;) {
        const found = mails.find((m) => to(m).includes(address));
        if (found) return found;
        if (Date.now() > until) throw new Error(`no mail to ${address} within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
