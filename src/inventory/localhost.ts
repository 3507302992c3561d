/**
 * The embedded default inventory (same text as inventories/localhost.yml,
 * kept inline so the published CLI needs no file lookup to find it).
 */
export const EMBEDDED_LOCALHOST_SOURCE = '<embedded localhost>';

export const EMBEDDED_LOCALHOST_YAML = `# The inventory ece-preflight uses when none is given: this machine only,
# reached without SSH. No role groups and no ece_roles, so it holds all four
# roles (like the first host of an ECE install).
all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_host: 127.0.0.1
`;
