/**
 * An Ansible Vault value (`!vault |` in YAML) kept opaque. We never decrypt:
 * a preflight needs no secrets, and one encrypted become password must not
 * make the whole inventory unreadable. Serialises the way ansible-inventory
 * prints it without a vault password: `{"__ansible_vault": "<ciphertext>"}`.
 */
export class VaultValue {
  constructor(readonly ciphertext: string) {}

  toJSON(): { __ansible_vault: string } {
    return { __ansible_vault: this.ciphertext };
  }
}

export function isVaultValue(v: unknown): v is VaultValue {
  return v instanceof VaultValue;
}

/** A whole file encrypted with ansible-vault starts with this header. */
export function isVaultFile(text: string): boolean {
  return text.startsWith('$ANSIBLE_VAULT;');
}
