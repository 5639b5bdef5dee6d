// The accessibility check every spec can run on a page: axe-core against WCAG 2.1 A and AA.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { Result } from 'axe-core';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One line per rule and one indented line per offending element, so a failure reads without opening the report. */
function formatViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map(
        (n) => `    ${n.target.join(' ')}${n.failureSummary ? `: ${n.failureSummary.replace(/\s*\n\s*/g, ' ')}` : ''}`,
      );
      return [`  ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}. ${v.helpUrl}`, ...nodes].join('\n');
    })
    .join('\n');
}

/**
 * Fails the test when axe finds a WCAG 2.1 AA violation on the page as it is now. Soft, so a test that walks
 * through several pages or states reports the violations of each, not only of the first.
 * `what` names the page or state in the failure message.
 */
export async function expectNoA11yViolations(page: Page, what = page.url()): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect.soft(formatViolations(violations), `Accessibility violations on ${what}`).toBe('');
}
