'use client';

import type { FormEvent } from 'react';
import { startTransition, useActionState } from 'react';

/**
 * Submits a form action without the automatic form reset of form actions, so what the user typed stays when the
 * server answers with errors (or asks for confirmation).
 */
export function useKeptForm<S>(action: (prev: S | null, formData: FormData) => Promise<S | null>) {
  const [state, dispatch, pending] = useActionState(action, null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(data));
  };
  return { state, onSubmit, pending };
}
