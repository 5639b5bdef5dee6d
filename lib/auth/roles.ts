// Roles and what each may open. The server enforces these in every action and route; the navigation only mirrors them.
export const ROLES = ['admin', 'seller', 'support', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export const SECTIONS = ['overview', 'customers', 'coverage', 'messages', 'complaints', 'replies', 'monitor', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_ROLES: Record<Section, readonly Role[]> = {
  overview: ROLES,
  customers: ROLES,
  coverage: ROLES,
  messages: ['admin', 'seller', 'manager'],
  complaints: ROLES,
  // Managers read the review queue; REPLY_DECIDERS decide.
  replies: ROLES,
  monitor: ['admin', 'seller', 'manager'],
  settings: ROLES,
};

/** Request header in which the proxy passes the requested path to the dashboard shell. */
export const PATHNAME_HEADER = 'x-zgoda-pathname';

/** Settings pages that only admins may open. */
export const ADMIN_ONLY: readonly Role[] = ['admin'];

export function canOpen(role: Role, section: Section): boolean {
  return SECTION_ROLES[section].includes(role);
}

/** Who decides WhatsApp replies in the review queue (a decision may withdraw consent, which managers never change). */
export const REPLY_DECIDERS: readonly Role[] = ['admin', 'seller', 'support'];

/** Who imports customers. */
export const IMPORTERS: readonly Role[] = ['admin', 'seller'];

/** Path prefixes that need more than their section, most specific first. */
const PATH_ROLES: Array<[prefix: string, roles: readonly Role[]]> = [
  ['/settings/users', ADMIN_ONLY],
  ['/customers/import', IMPORTERS],
  ['/customers/confirmations', IMPORTERS],
  ['/settings/alerts', ADMIN_ONLY],
  ['/settings/api', ADMIN_ONLY],
  ['/settings/forms', ADMIN_ONLY],
];

/** The roles that may open a dashboard path, so the shell can answer 403 before it renders anything. */
export function rolesForPath(pathname: string): readonly Role[] {
  for (const [prefix, roles] of PATH_ROLES) if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return roles;
  const section = SECTIONS.find((s) => s !== 'overview' && (pathname === `/${s}` || pathname.startsWith(`/${s}/`)));
  return SECTION_ROLES[section ?? 'overview'];
}
