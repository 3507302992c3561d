/**
 * `nft -a list ruleset` text -> tables, chains and rule lines with handles.
 * Only structure is read here; nftables.ts decides what is ours. Blocks we
 * do not need (sets, maps, flowtables) are skipped by counting braces.
 */
export interface NftRuleLine {
  text: string;
  handle?: number;
}

export interface NftChain {
  name: string;
  handle?: number;
  /** `filter`, `nat`, ... for base chains. */
  type?: string;
  hook?: string;
  priority?: string;
  policy?: 'accept' | 'drop';
  rules: NftRuleLine[];
}

export interface NftTable {
  family: string;
  name: string;
  handle?: number;
  chains: NftChain[];
  /** nft says so (`# Warning: table ip filter is managed by iptables-nft, do not touch!`) or it looks so. */
  managedByIptables: boolean;
}

const IPTABLES_TABLES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);
const IPTABLES_CHAINS = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);

/** Braces outside double-quoted strings: +1 per `{`, -1 per `}`. */
function braceBalance(line: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '{') n++;
    else if (!quoted && c === '}') n--;
  }
  return n;
}

function splitHandle(line: string): NftRuleLine {
  const m = /^(.*?)\s*# handle (\d+)$/.exec(line);
  return m ? { text: m[1]!, handle: Number(m[2]) } : { text: line };
}

export function parseNftListing(output: string): NftTable[] {
  const tables: NftTable[] = [];
  const managed = new Set<string>();
  let table: NftTable | undefined;
  let chain: NftChain | undefined;
  // Depth of blocks we skip (sets, maps, ...), relative to where they opened.
  let skipDepth = 0;
  for (const raw of output.split('\n')) {
    const warn = /# Warning: table (\S+) (\S+) is managed by iptables-nft/.exec(raw);
    if (warn) managed.add(`${warn[1]} ${warn[2]}`);
    const { text, handle } = splitHandle(raw.replace(/# Warning:.*$/, '').trim());
    if (!text) continue;
    if (skipDepth > 0) {
      skipDepth += braceBalance(text);
      continue;
    }
    if (!table) {
      const m = /^table (\S+) (\S+) \{$/.exec(text);
      if (m) {
        table = { family: m[1]!, name: m[2]!, chains: [], managedByIptables: false, ...(handle !== undefined ? { handle } : {}) };
        tables.push(table);
      }
      continue;
    }
    if (!chain) {
      const m = /^chain (\S+) \{$/.exec(text);
      if (m) {
        chain = { name: m[1]!, rules: [], ...(handle !== undefined ? { handle } : {}) };
        table.chains.push(chain);
      } else if (text === '}') table = undefined;
      else {
        const b = braceBalance(text);
        if (b > 0) skipDepth = b;
      }
      continue;
    }
    if (text === '}') {
      chain = undefined;
      continue;
    }
    const base = /^type (\S+) hook (\S+) (?:device \S+ )?priority ([^;]+);(?: policy (accept|drop);)?/.exec(text);
    if (base) {
      chain.type = base[1]!;
      chain.hook = base[2]!;
      chain.priority = base[3]!.trim();
      if (base[4]) chain.policy = base[4] as 'accept' | 'drop';
      continue;
    }
    if (/^comment "/.test(text)) continue;
    chain.rules.push(handle !== undefined ? { text, handle } : { text });
  }
  for (const t of tables) {
    const looksIptables = (t.family === 'ip' || t.family === 'ip6') && IPTABLES_TABLES.has(t.name) && t.chains.some((c) => c.hook && IPTABLES_CHAINS.has(c.name));
    t.managedByIptables = managed.has(`${t.family} ${t.name}`) || looksIptables;
  }
  return tables;
}
