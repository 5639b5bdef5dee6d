// Roles and what each may open. The server enforces these in every action and route; the navigation only mirrors them.
export const ROLES = ['admin', 'seller', 'support', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export const SECTIONS = ['overview', 'customers', 'coverage', 'messages', 'complaints', 'monitor', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_ROLES: Record<Section, readonly Role[]> = {
  overview: ROLES,
  customers: ROLES,
  coverage: ROLES,
  messages: ['admin', 'seller', 'manager'],
  complaints: ROLES,
  monitor: ['admin', 'seller', 'manager'],
  settings: ROLES,
};

/** Settings pages that only admins may open. */
export const ADMIN_ONLY: readonly Role[] = ['admin'];

export function canOpen(role: Role, section: Section): boolean {
  return SECTION_ROLES[section].includes(role);
}
