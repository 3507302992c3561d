// The pure half of the firewall: what the apply code builds on.
export * from './types.js';
export { desiredRules, type DesiredOptions } from './desired.js';
export { diffRules, diffIsEmpty, sameRuleList } from './diff.js';
export { firewallAddressOf, controllerAddressFromSshClient, cidrsOf } from './address.js';
export { canonicalCidr, parseCidr, cidrContains } from './cidr.js';
export { OUR_MARK, JUMP_COMMENT, isOurComment, ruleComment } from './comment.js';
export { canonicalRules, compareRules, ruleKey } from './rule-order.js';
export { backendFor, isBackendName } from './backends.js';
export { nftablesBackend } from './nftables.js';
export { iptablesBackend } from './iptables.js';
export { firewalldBackend, RECORD_FILE } from './firewalld.js';
export { ufwBackend } from './ufw.js';
export { shellQuote, stepToShell } from './shell-words.js';
export { formatFirewallPlan, firewallPlanJson, type HostFirewallPlan } from './format-plan.js';
