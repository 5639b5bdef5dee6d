'use client';

import type { FormEvent } from 'react';
import { startTransition, useActionState } from 'react';

/**
 * Submits a form to a server action without the automatic form reset of form actions, so that what the user entered
 * is still there after the answer (an error to fix, a confirmation to give, a result to read beside the form).
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
