import { readFileSync } from 'node:fs';
import type { PortSpec } from '../../../src/catalog/types.js';

/**
 * Reads the seed markdown as the catalog's oracle. The shared folder sits
 * beside the repository (/work/shared next to /work/main, and the same in
 * CI), so the path is relative to the repository root's parent.
 */
export const SEED_URL = new URL('../../../../shared/seeds/ece-networking-prereq.md', import.meta.url);
export const seedText = (): string => readFileSync(SEED_URL, 'utf8');

export interface SeedRow {
  table: 'inbound-1' | 'inbound-2' | 'outbound';
  number?: number;
  role: string;
  ports: PortSpec[];
  purpose: string;
}

/** Compare the seed's words without its markup: <br>, link targets, runs of spaces. */
export const normalize = (s: string): string =>
  s
    .replace(/<br>/g, ' ')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();

/** "12300/12343, 12400/12443" or "18000-18999/20000-20999" -> specs. */
export function parsePorts(cell: string): PortSpec[] {
  return cell
    .split(/[,/]/)
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      const m = /^(\d+)(?:-(\d+))?$/.exec(t);
      if (!m) throw new Error(`unparsable port cell: ${cell}`);
      return m[2] ? { from: Number(m[1]), to: Number(m[2]) } : Number(m[1]);
    });
}

/** Every data row of the seed's three tables, in order. */
export function seedRows(markdown = seedText()): SeedRow[] {
  const rows: SeedRow[] = [];
  let inboundTables = 0;
  let current: SeedRow['table'] | undefined;
  let columns: string[] = [];
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (current === undefined) {
      columns = cells.map((c) => c.replace(/\*/g, '').toLowerCase());
      if (columns.includes('inbound ports')) current = inboundTables++ === 0 ? 'inbound-1' : 'inbound-2';
      else if (columns.includes('outbound ports')) current = 'outbound';
      else throw new Error(`unknown table header: ${line}`);
      continue;
    }
    if (cells.every((c) => /^-+$/.test(c))) continue;
    const col = (name: string): string => cells[columns.indexOf(name)] ?? '';
    const num = col('number');
    rows.push({
      table: current,
      ...(num !== '' ? { number: Number(num) } : {}),
      role: col('host role'),
      ports: parsePorts(col(current === 'outbound' ? 'outbound ports' : 'inbound ports')),
      purpose: normalize(col('purpose')),
    });
  }
  return rows;
}
