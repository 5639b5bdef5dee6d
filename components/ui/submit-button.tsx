'use client';

import type { ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import type { ButtonVariant } from './button';
import { Button } from './button';

export function SubmitButton({ children, pendingText, variant }: { children: ReactNode; pendingText: string; variant?: ButtonVariant }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-disabled={pending}>
      {pending ? pendingText : children}
    </Button>
  );
}
