// GET /api/v1/decision: may this channel and purpose go to this customer now? (scope decisions:read)
import { getDb } from '@/db';
import { apiEndpoints } from '@/lib/api/endpoints';

export const GET = apiEndpoints(getDb).decision;
