// Saying what is wrong with a row in the reader's language.
import type { RowIssue } from './validate';

type Translate = (key: string, values?: Record<string, string | number>) => string;

export function issueText(t: Translate, issue: RowIssue): string {
  return t(`issues.${issue.code}`, { column: issue.column ?? '', value: issue.value, otherRow: issue.otherRow ?? 0 });
}
