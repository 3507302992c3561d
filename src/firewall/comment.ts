/**
 * Rule comments: they name the seed rule(s) a rule serves and mark the rule
 * as ours (removal never touches a rule without the marker). The text is
 * kept to characters every backend stores and prints back unchanged (no
 * quotes, backslashes or shell metacharacters), and short enough for nft
 * (128 bytes) and iptables' comment match (256).
 */
export const OUR_MARK = 'ece-preflight';
export const JUMP_COMMENT = `${OUR_MARK} jump`;
export const MAX_COMMENT = 120;

const SAFE = /[^A-Za-z0-9 ,.:/()+_-]/g;

export function isOurComment(comment: string | undefined): boolean {
  return comment !== undefined && (comment === OUR_MARK || comment.startsWith(`${OUR_MARK} `));
}

/**
 * `ece-preflight <ids>: <purpose>`, cut to MAX_COMMENT. Ids come first so a
 * cut only ever shortens the purpose; with many ids, the last ones give way
 * to `+N`.
 */
export function ruleComment(ids: string[], purpose?: string): string {
  const clean = (s: string) => s.replace(SAFE, ' ').replace(/\s+/g, ' ').trim();
  const unique = [...new Set(ids.map(clean))];
  let idText = unique.join(',');
  for (let keep = unique.length - 1; `${OUR_MARK} ${idText}`.length > MAX_COMMENT && keep > 0; keep--) {
    idText = `${unique.slice(0, keep).join(',')},+${unique.length - keep}`;
  }
  let text = `${OUR_MARK} ${idText}`;
  if (purpose) text += `: ${clean(purpose)}`;
  return text.length <= MAX_COMMENT ? text : text.slice(0, MAX_COMMENT).trimEnd();
}
