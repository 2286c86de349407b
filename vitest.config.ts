import { defineConfig } from 'vitest/config';

const shared = {
  resolve: { conditions: ['@herald/source'] },
  ssr: { resolve: { conditions: ['@herald/source'] } },
};

export default defineConfig({
  test: {
    projects: [
      { ...shared, test: { name: 'contracts', root: 'packages/contracts', include: ['src/**/*.test.ts'] } },
      {
        ...shared,
        test: { name: 'webhooks', root: 'packages/webhooks', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        ...shared,
        test: {
          name: 'server',
          root: 'packages/server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'cli',
          root: 'packages/cli',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'bench',
          root: 'bench',
          include: ['*.test.ts', 'lib/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 30_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'cookbook',
          root: 'cookbook',
          include: ['**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'docs',
          root: 'scripts',
          include: ['**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
