// How far a running import has come, for the progress bar. Kept in the server process: an import runs in one.
export type ImportPhase = 'reading' | 'checking' | 'customers' | 'events' | 'state' | 'done' | 'failed';
export type ImportProgress = { phase: ImportPhase; done: number; total: number };

const registry = ((globalThis as unknown as { zgodaImportProgress?: Map<number, ImportProgress> }).zgodaImportProgress ??= new Map());

export function setProgress(batchId: number, progress: ImportProgress): void {
  registry.set(batchId, progress);
}

export function getProgress(batchId: number): ImportProgress | null {
  return registry.get(batchId) ?? null;
}
