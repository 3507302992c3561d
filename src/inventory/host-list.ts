import { splitHostPort } from './host-range.js';
import type { InventoryBuilder } from './model.js';

/**
 * Ansible's host_list inventory plugin: `-i 'h1,h2:2222,'` names hosts
 * directly. It applies to a source with a comma that is not an existing path;
 * every name joins `ungrouped`, `host:port` sets ansible_port, ranges are not
 * expanded (`advanced_host_list` is off by default).
 */
export function isHostList(source: string, exists: (p: string) => boolean): boolean {
  return source.includes(',') && !exists(source);
}

export function parseHostListInto(builder: InventoryBuilder, source: string): void {
  for (const raw of source.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const { pattern, port } = splitHostPort(entry);
    if (!builder.model.hosts.has(pattern)) builder.addHost(pattern, 'ungrouped', port, { file: source });
  }
}
