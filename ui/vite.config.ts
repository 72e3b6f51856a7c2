/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri loads ui/dist in release and this dev server in `tauri dev` (devUrl).
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true, host: '127.0.0.1' },
  // Component tests mount into jsdom: Svelte's browser build, not its server one.
  resolve: mode === 'test' ? { conditions: ['browser'] } : undefined,
  // WebKitGTK on Debian 12 and WKWebView/WebView2 of supported OSes all run ES2022.
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
}));
