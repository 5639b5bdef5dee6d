// `npm run fake:graph -- [--port 4010] [--webhook http://localhost:3000/api/webhooks/whatsapp]`: Meta's Graph API
// stand-in (lib/whatsapp/fake-graph.ts) on its own, for trying the WhatsApp settings, templates and sending by hand.
import { startFakeGraph } from '@/lib/whatsapp/fake-graph';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const webhookUrl = option('webhook');
  const appSecret = process.env.WHATSAPP_APP_SECRET;
  if (webhookUrl && !appSecret) {
    console.error('Set WHATSAPP_APP_SECRET to the value the server uses, so that the status webhooks are signed with it.');
    process.exit(2);
  }
  const fake = await startFakeGraph({ port: Number(option('port') ?? 4010), webhookUrl, appSecret, statusDelayMs: 1000 });
  const c = fake.control;
  console.log(`Fake Graph API on ${fake.url}
  Settings -> WhatsApp: base URL ${fake.url}, phone number id ${c.phoneNumberId}, business account id ${c.businessAccountId}, access token ${c.token}
  Status webhooks: ${webhookUrl ?? 'off (--webhook <url>)'}
  Control (POST): /_fake/template?name=&language=&status=APPROVED|REJECTED|PAUSED|DISABLED&reason=
                  /_fake/fail?to=<digits>&code=131050&via=response|status   /_fake/burst?count=   /_fake/outage?ms=&status=503
                  /_fake/latency?ms=   /_fake/reset`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
