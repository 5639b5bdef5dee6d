// The shapes the import pipeline passes between its stages (reading, planning, committing), stores on a batch and
// shows on its page.
import type { Channel } from '@/lib/consent';
import type { Mapping } from './fields';
import type { CsvFormat, FileProblem, FileSniff, Malformation } from './read';
import type { ImportOptions, RowIssue } from './validate';

export type ImportSettings = { format: CsvFormat; mapping: Mapping; options: ImportOptions };

export type IssueAt = RowIssue & { row: number; line: number };

export type DryRunSummary = {
  rows: number;
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warned: number;
  /** Valid rows of Amazon buyers (relay e-mail or Amazon order source); absent in summaries stored before it was counted. */
  marketplace?: number;
  events: Record<Channel, number>;
  firstErrors: IssueAt[];
  firstWarnings: IssueAt[];
  /** Columns that look like consent but that the mapping leaves out (absent from dry runs made before this was kept). */
  ignoredConsentColumns?: string[];
};

/** ImportOptions as JSON keeps them: the consent date as an ISO string. */
export type StoredImportOptions = Omit<ImportOptions, 'consentDate'> & { consentDate?: string | null };

/**
 * What a batch keeps in `options`: the file's format as sniffed, the settings of the last dry run, its summary, and the
 * number of suppressions the dry run looked up (a commit after more were added looks again).
 */
export type BatchOptions = {
  sniff?: FileSniff;
  format?: CsvFormat;
  mapping?: Mapping;
  options?: StoredImportOptions;
  summary?: DryRunSummary;
  suppressions?: number;
};

/**
 * `dry_run`: open (no dry run yet, or its result is there to commit); `checking`: a dry run is running; `committing`:
 * the commit is running; `failed`: a dry run or commit stopped on something other than the file, see `failure`.
 */
export type ImportStatus = 'dry_run' | 'checking' | 'committing' | 'committed' | 'failed';

export type ImportPhase = 'reading' | 'checking' | 'customers' | 'events' | 'state' | 'done';
export type ImportProgress = { phase: ImportPhase; done: number; total: number };

/**
 * Why the last dry run or commit of a batch did not finish. `file`: the file cannot be read with these settings (the
 * batch stays open for other ones); `interrupted`: the instance running it stopped (nothing was written); `error`:
 * anything else, such as the database going away (nothing was written either); `stale`: contact points were suppressed since a dry run
 * that had none to look up, so a new dry run is needed.
 */
export type ImportFailure =
  | {
      step: 'dry_run';
      reason: 'file';
      problem: FileProblem;
      row?: number;
      line?: number;
      malformation?: Malformation;
      relaxQuotes: boolean;
    }
  | { step: 'dry_run' | 'commit'; reason: 'interrupted' | 'error' }
  | { step: 'commit'; reason: 'stale' };

/**
 * `stale`: contact points were suppressed since a dry run that had no suppressions to look up, so its rows carry no
 * hashes to look them up by; a new dry run does.
 */
export type CommitResult = { ok: true; summary: DryRunSummary; eventsWritten: number } | { ok: false; reason: 'not_ready' | 'stale' };
