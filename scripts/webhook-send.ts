// `npm run webhook:send -- STOP +4915112345678 [--url http://localhost:3000] [--type text|button|interactive|preference]`:
// posts a WhatsApp webhook notification signed with WHATSAPP_APP_SECRET, as Meta would, and prints the answer.
import { randomBytes } from 'node:crypto';
import { inboundMessage, userPreference } from '@/lib/whatsapp/samples';
import { signBody } from '@/lib/whatsapp/signature';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const [text, phone] = positional;
  const secret = process.env.WHATSAPP_APP_SECRET;
  if (!text || !phone || !/^\+?[1-9]\d{6,14}$/.test(phone.replace(/[\s-]/g, ''))) {
    console.error(
      'Usage: npm run webhook:send -- <text, e.g. STOP> <phone, e.g. +4915112345678> [--url http://localhost:3000] [--type text|button|interactive|preference]',
    );
    process.exit(2);
  }
  if (!secret) {
    console.error('Set WHATSAPP_APP_SECRET to the value the server uses.');
    process.exit(2);
  }
  const base = option('url') ?? `http://localhost:${process.env.PORT ?? 3000}`;
  const type = option('type') ?? 'text';
  const at = new Date();
  const id = `wamid.${randomBytes(12).toString('hex').toUpperCase()}`;
  const payload =
    type === 'preference'
      ? userPreference(phone, /^(start|resume)$/i.test(text) ? 'resume' : 'stop', at)
      : type === 'button'
        ? inboundMessage(phone, { type: 'button', text }, { id, at })
        : type === 'interactive'
          ? inboundMessage(phone, { type: 'interactive', title: text }, { id, at })
          : inboundMessage(phone, { type: 'text', text }, { id, at });
  const body = JSON.stringify(payload);
  const url = new URL('/api/webhooks/whatsapp', base);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, secret) },
    body,
  });
  console.log(`POST ${url} (${type}, ${type === 'preference' ? 'marketing setting' : id}) -> ${response.status} ${await response.text()}`);
  if (!response.ok) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
