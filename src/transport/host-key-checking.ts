/** How host keys are checked against known_hosts: its own file, so ssh-options.ts and ssh-g-output.ts need not import each other. */
export type HostKeyChecking = 'strict' | 'accept-new' | 'off';
