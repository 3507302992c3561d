/** The four ECE host roles. Order matters: it is the display order everywhere. */
export const ROLES = ['director', 'coordinator', 'proxy', 'allocator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Group names that mean a role. Operators name groups in the singular or the
 * plural; Elastic's own Ansible role uses `ece_roles` instead (see fleet.ts).
 */
export const ROLE_GROUP_NAMES: Record<string, Role> = {
  director: 'director',
  directors: 'director',
  coordinator: 'coordinator',
  coordinators: 'coordinator',
  proxy: 'proxy',
  proxies: 'proxy',
  allocator: 'allocator',
  allocators: 'allocator',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Sort roles into display order and drop duplicates. */
export function sortRoles(roles: Iterable<Role>): Role[] {
  const set = new Set(roles);
  return ROLES.filter((r) => set.has(r));
}
