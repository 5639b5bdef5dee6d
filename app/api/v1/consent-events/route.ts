// POST /api/v1/consent-events: record a grant, confirmation or withdrawal with its evidence (scope consent:write).
import { getDb } from '@/db';
import { apiEndpoints } from '@/lib/api/endpoints';

export const POST = apiEndpoints(getDb).recordConsent;
