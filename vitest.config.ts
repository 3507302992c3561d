import { defineConfig } from 'vitest/config';

// Two projects: unit (pure logic, fast, no root) and lab (real hosts in
// network namespaces; needs root, sshd, nft; run serially because the lab is
// one shared set of namespaces). Tests send traffic to loopback and lab hosts
// only: a sweep without an inventory would probe this machine at its default
// route's address, so tests pin it to 127.0.0.1; and any run whose plan would
// connect outside loopback and the lab's networks is refused before it
// connects (src/cli/target-guard.ts).
const env = {
  ECE_PREFLIGHT_LOCAL_ADDRESS: '127.0.0.1',
  ECE_PREFLIGHT_ALLOWED_TARGETS: '127.0.0.0/8,198.18.0.0/24,::1/128,fd00:198:18::/64',
};
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          env,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.{ts,tsx}'],
          environment: 'node',
          env,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
