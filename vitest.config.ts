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
        // As the window is built (electron.vite.config.ts): components are <script setup> only.
        plugins: [vue({ features: { optionsAPI: false } })],
        test: {
          name: 'component',
          environment: 'happy-dom',
          include: ['test/component/**/*.test.ts'],
        },
      },
    ],
  },
})
