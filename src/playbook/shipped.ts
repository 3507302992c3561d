import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The playbooks that ship with the tool (playbooks/ at the package root), so
 * `sweep` runs playbooks/preflight.yml from wherever it is installed. src/
 * and dist/ sit at the same depth, so one relative path serves both.
 */
export const PLAYBOOKS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../playbooks');

export function shippedPlaybook(name: 'preflight' | 'matrix' | 'facts' | 'firewall'): string {
  return path.join(PLAYBOOKS_DIR, `${name}.yml`);
}
