// POST /api/v1/customers: create or update a customer (scope customers:write).
import { getDb } from '@/db';
import { apiEndpoints } from '@/lib/api/endpoints';

export const POST = apiEndpoints(getDb).upsertCustomer;
