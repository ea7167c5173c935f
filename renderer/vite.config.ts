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
    // React + recharts in one chunk loaded from disk or loopback: size matters less than requests.
    chunkSizeWarningLimit: 900,
  },
});
