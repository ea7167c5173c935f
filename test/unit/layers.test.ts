// The layer rules of eslint.config.js, tried on imports that cross each boundary (`npm run lint`
// checks the real tree with them; this proves they catch what they are meant to).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let layerConfigs: Linter.Config[] = [];
const linter = new Linter({ configType: 'flat', cwd: root });

beforeAll(async () => {
  const configFile = pathToFileURL(path.join(root, 'eslint.config.js')).href;
  const { default: config } = (await import(configFile)) as { default: Linter.Config[] };
  layerConfigs = config.filter((c) => c.rules?.['no-restricted-imports'] !== undefined);
});

/** The layer problems of `source` as if it were the file `file` of the project. */
function problems(file: string, source: string): string[] {
  const parser = { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser as Linter.Parser } };
  return linter.verify(source, [parser, ...layerConfigs], { filename: path.join(root, file) }).map((m) => m.message);
}

describe('layer rules', () => {
  it('are configured for app/, app/core/ and the renderer', () => {
    expect(layerConfigs.flatMap((c) => c.files ?? [])).toEqual(expect.arrayContaining(['app/**/*.ts', 'app/core/**/*.ts', 'renderer/src/**/*.tsx']));
  });

  it('keep app/ free of Electron, React, main/ and renderer/', () => {
    expect(problems('app/host/x.ts', "import { app } from 'electron';")).toEqual([expect.stringMatching(/free of Electron and React/)]);
    expect(problems('app/host/x.ts', "import { useState } from 'react';")).toHaveLength(1);
    expect(problems('app/recording/x.ts', "import type { CommandName } from '../../main/contract.js';")).toEqual([
      expect.stringMatching(/never imports main\/ or renderer\//),
    ]);
    expect(problems('app/host/x.ts', "import { x } from '../../renderer/src/lib/format';")).toHaveLength(1);
    expect(problems('app/host/x.ts', "import { OrderBook } from '../book/order-book.js';\nimport { z } from 'zod';")).toEqual([]);
  });

  it('keep app/core below app/book', () => {
    expect(problems('app/core/x.ts', "import type { OrderBook } from '../book/order-book.js';")).toEqual([
      expect.stringMatching(/app\/core is below app\/book/),
    ]);
    expect(problems('app/core/x.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(problems('app/core/x.ts', "import type { PriceLevel } from './types.js';")).toEqual([]);
    expect(problems('app/exchanges/x/y.ts', "import { OrderBook } from '../../book/order-book.js';")).toEqual([]);
  });

  it('let the renderer import the contract and nothing else of ours', () => {
    expect(problems('renderer/src/components/X.tsx', "import type { WatchlistItem } from '../../../main/contract';")).toEqual([]);
    expect(problems('renderer/src/components/X.tsx', "import { UI_TIMEFRAMES } from '../../../main/contract.js';")).toEqual([]);
    expect(problems('renderer/src/components/X.tsx', "import { useState } from 'react';")).toEqual([]);
    expect(problems('renderer/src/components/X.tsx', "import { timeframeMs } from '../../../app/core/timeframes.js';")).toEqual([
      expect.stringMatching(/only the contract/),
    ]);
    expect(problems('renderer/src/components/X.tsx', "import { commandInputs } from '../../../main/contract-schemas.js';")).toEqual([
      expect.stringMatching(/only the contract/),
    ]);
    expect(problems('renderer/src/store/x.ts', "import { readFile } from 'node:fs/promises';")).toEqual([expect.stringMatching(/no Node modules/)]);
    expect(problems('renderer/src/store/x.ts', "import { ipcRenderer } from 'electron';")).toHaveLength(1);
  });
});
