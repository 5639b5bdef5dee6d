'use client';

import { useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { ProgressBar } from '@/components/ui/progress-bar';

const MAX_BYTES = 250 * 1024 * 1024;

/** Sends the file as the raw request body, so the server can stream it to disk, and shows how far the upload is. */
export function UploadForm() {
  const t = useTranslations('import.upload');
  const tm = useTranslations('importMapping.file');
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The file broke only on stray quotes: offer to send it again, read leniently.
  const [lenient, setLenient] = useState(false);

  function upload(event: React.FormEvent, relaxQuotes = false) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return setError(t('choose'));
    if (file.size > MAX_BYTES) return setError(t('tooLarge'));
    setError(null);
    setLenient(false);
    setPercent(0);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/customers/import/upload');
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    if (relaxQuotes) xhr.setRequestHeader('X-Relax-Quotes', '1');
    xhr.upload.onprogress = (e) => e.lengthComputable && setPercent(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: { ok?: boolean; id?: number; message?: string; lenient?: boolean } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      if (xhr.status === 200 && body.ok && body.id) return router.push(`/customers/import/${body.id}`);
      setPercent(null);
      setError(body.message ?? t('failed'));
      setLenient(body.lenient === true);
    };
    xhr.onerror = () => {
      setPercent(null);
      setError(t('failed'));
    };
    xhr.send(file);
  }

  return (
    <form onSubmit={upload} className="space-y-4" noValidate>
      {error && <Alert tone="error">{error}</Alert>}
      {lenient && (
        <Button type="button" variant="secondary" onClick={(e) => upload(e, true)} disabled={percent !== null}>
          {tm('lenient')}
        </Button>
      )}
      <Field id="import-file" label={t('file')} hint={t('hint')}>
        <input
          ref={input}
          id="import-file"
          name="file"
          type="file"
          accept=".csv,text/csv,text/plain"
          className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-200"
          onChange={() => {
            setError(null);
            setLenient(false);
          }}
        />
      </Field>
      {percent !== null && <ProgressBar value={percent} max={100} label={t('uploading', { percent })} />}
      <Button type="submit" disabled={percent !== null}>
        {t('submit')}
      </Button>
    </form>
  );
}
