// The scopes of API keys, apart from the key code so the browser's bundle can list them.
export const API_SCOPES = ['consent:write', 'decisions:read', 'customers:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
