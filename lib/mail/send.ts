// Sending e-mail over SMTP (SMTP_URL, MAIL_FROM). Without them Zgoda sends nothing and says so: what asked for the mail
// (a confirmation) is kept, and can be sent once a server is configured.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

export type MailSettings = { url: string; from: string };

/** The configured mail server and sender, or null when either is missing. */
export function mailSettings(env: NodeJS.ProcessEnv = process.env): MailSettings | null {
  const url = env.SMTP_URL?.trim();
  const from = env.MAIL_FROM?.trim();
  return url && from ? { url, from } : null;
}

export class MailNotConfigured extends Error {
  constructor() {
    super('No mail server is configured: set SMTP_URL and MAIL_FROM.');
  }
}

export type Mail = { to: string; subject: string; text: string; html: string; headers?: Record<string, string> };

const cache = globalThis as unknown as { zgodaMail?: { url: string; transport: Transporter } };

function transportFor(url: string): Transporter {
  if (cache.zgodaMail?.url !== url) {
    // A pool: a run of confirmation mails reuses a few connections instead of one per mail.
    const transport = nodemailer.createTransport(url.includes('pool=') ? url : `${url}${url.includes('?') ? '&' : '?'}pool=true`);
    cache.zgodaMail = { url, transport };
  }
  return cache.zgodaMail.transport;
}

/** Sends one mail; throws MailNotConfigured without a server, or the server's refusal. Returns the message id. */
export async function sendMail(mail: Mail, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const settings = mailSettings(env);
  if (!settings) throw new MailNotConfigured();
  const info = (await transportFor(settings.url).sendMail({ from: settings.from, ...mail })) as { messageId: string };
  return info.messageId;
}
