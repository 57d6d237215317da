import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import { precompileMessages } from './scripts/precompileMessages.ts'

// Source folders differ from electron-vite's defaults (src/main, src/preload, src/renderer):
// src-main holds core, both hosts and the sandbox; only the Electron host is bundled here.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve('src-main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot load ES modules or node_modules: bundle everything as CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    // Every component is <script setup>: without the Options API, Vue neither ships it nor runs
    // its checks for each component it creates.
    plugins: [vue({ features: { optionsAPI: false } }), precompileMessages()],
    // vue-i18n's build flags: messages come compiled (so no compiler), the Composition API only.
    define: {
      __VUE_I18N_FULL_INSTALL__: false,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_DROP_MESSAGE_COMPILER__: true,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    build: {
      outDir: resolve('out/renderer'),
      minify: true,
      rollupOptions: {
        input: resolve('src-renderer/index.html'),
        // Everything the window runs before its first frame in one script: each further file is
        // another request a fresh window waits for. Views opened later stay in their own files.
        output: { codeSplitting: { groups: [{ name: 'window', tags: ['$initial'] }] } },
      },
    },
  },
})
