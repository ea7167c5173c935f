import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

// Relative asset paths: the desktop app loads index.html from disk (file://).
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '../out/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome130',
    // The first screen's chunk (React and the app) loads first; the charts and the sessions tab
    // come in chunks of their own when first drawn (see App.tsx).
    chunkSizeWarningLimit: 400,
  },
});
