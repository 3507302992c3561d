import { defineConfig } from 'vitest/config';

// Two projects: unit (pure logic, fast, no root) and lab (real hosts in
// network namespaces; needs root, sshd, nft; run serially because the lab is
// one shared set of namespaces).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.{ts,tsx}'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
