'use client';

// Last resort when the root layout itself fails: no translations are available here, so it speaks all three languages.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 560, margin: '96px auto', padding: '0 24px', textAlign: 'center' }}>
        <h1>Something went wrong · Coś poszło nie tak · Etwas ist schiefgelaufen</h1>
        <p>Nothing was changed. Please try again.</p>
        {error.digest && <p style={{ fontSize: 12, color: '#64748b' }}>Reference: {error.digest}</p>}
        <button type="button" onClick={reset} style={{ padding: '8px 16px', marginTop: 16 }}>
          Try again · Spróbuj ponownie · Erneut versuchen
        </button>
      </body>
    </html>
  );
}
