import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          // A throwaway PostgreSQL server for the team mode's tests, started once and removed at the end.
          globalSetup: ['test/fixtures/postgresGlobalSetup.ts'],
          // electron-store imports 'electron' itself: inline it so that vi.mock('electron') reaches it.
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'component',
          environment: 'happy-dom',
          include: ['test/component/**/*.test.ts'],
        },
      },
    ],
  },
})
