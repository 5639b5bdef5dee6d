// A marketing draft as a Polish shop writes one, for tests that need an approved campaign to export.
import type { DraftInput } from './input';

export const marketingDraft = (name: string, audience: DraftInput['audience']): DraftInput => ({
  name,
  category: 'marketing',
  language: 'pl',
  header: 'Kwiatek',
  headerExample: null,
  body: 'Cześć {{1}}, wiosenna wyprzedaż w sklepie już trwa.',
  footer: 'Odpisz STOP, aby zrezygnować',
  sender: 'Kwiatek',
  buttons: [],
  examples: ['Anna'],
  variableFields: ['first_name'],
  audience,
});
