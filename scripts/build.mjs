#!/usr/bin/env node
// Builds what the app runs from, into out/:
//   renderer/  the React UI (vite)                    — `node scripts/build.mjs renderer`
//   preload/   the sandboxed preload, one CommonJS file (a sandboxed preload cannot import)
//   main/      the Electron main process, ESM; npm dependencies stay external (node_modules)
// With no argument it builds all three.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const targets = process.argv.slice(2);
const all = targets.length === 0;
const nodeExternals = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

if (all || targets.includes('renderer')) {
  await build({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}

if (all || targets.includes('preload')) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir: path.join(root, 'out/preload'),
      emptyOutDir: true,
      minify: false,
      target: 'node22',
      lib: { entry: path.join(root, 'main/electron/preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rollupOptions: { external: nodeExternals },
    },
  });
}

if (all || targets.includes('main')) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { noExternal: [] },
    build: {
      ssr: path.join(root, 'main/electron/main.ts'),
      outDir: path.join(root, 'out/main'),
      emptyOutDir: true,
      minify: false,
      target: 'node22',
      rollupOptions: { external: nodeExternals, output: { format: 'es', entryFileNames: 'main.js' } },
    },
  });
}
