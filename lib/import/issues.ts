// Saying what is wrong with a row in the reader's language.
import type { RowIssue } from './validate';

type Translate = (key: string, values?: Record<string, string | number>) => string;

// Issues about how a file was read and mapped, whose texts live with the mapping's messages.
const MAPPING_ISSUES = new Set<RowIssue['code']>(['stray_quote', 'invalid_ip']);

/** `t` reads the `import` messages, `tm` the `importMapping` ones. */
export function issueText(t: Translate, issue: RowIssue, tm: Translate = t): string {
  const values = { column: issue.column ?? '', value: issue.value, otherRow: issue.otherRow ?? 0 };
  return MAPPING_ISSUES.has(issue.code) ? tm(`issues.${issue.code}`, values) : t(`issues.${issue.code}`, values);
}
