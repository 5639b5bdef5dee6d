// Reading an on/off switch from the environment the same way everywhere.

/** True for `1`, `true` or `yes` (any case, spaces around ignored); anything else, unset included, is off. */
export function envFlag(value: string | undefined): boolean {
  return ['1', 'true', 'yes'].includes((value ?? '').trim().toLowerCase());
}
