// Lint (npm run lint; npm test runs it after the type check). What it keeps honest:
// - no import cycles, between files (import-x/no-cycle) and between folders (the layer table below);
// - the layering: the kernel never reaches up into features, the composition root or the full config,
//   and a feature reaches another feature only through that feature's index.ts;
// - the generated Prisma clients stay inside src/store (records.ts gives everyone else the record types);
// - no `any`, no unused code, no floating promises, no console, no file over 400 lines in src/ and dialogs/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The layers, lowest first. A folder (or file) may import only from layers below its own, never from
 * its own layer's other entries nor from above: so folders cannot form a cycle, and what is shared
 * stays below what uses it. src/cli, src/index.ts and test/ stand outside (they may use anything).
 */
const layers = [
  ['src/config/locales.ts', 'src/logger.ts', 'src/errors.ts'],
  ['src/config/schema.ts', 'src/store', 'src/nlu', 'src/i18n', 'src/jobs', 'src/calendar'],
  ['src/events'],
  ['src/http', 'src/crm'],
  // Staff sign-in and the requireStaff guard, for every feature's staff routes.
  ['src/staff'],
  ['src/bot'],
  ['dialogs'],
  // src/features/<name> (see below); feature.ts is the contract every feature and the root share.
  ['src/features'],
  ['src/config/config.ts'],
  ['src/app.ts'],
];

const features = fs
  .readdirSync(path.join(root, 'src/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

function layerZones() {
  const zones = [];
  layers.forEach((layer, rank) => {
    const above = layers.slice(rank + 1).flat();
    for (const target of layer) {
      const siblings = layer.filter((other) => other !== target);
      const from = [...above, ...siblings].filter((other) => !target.startsWith(`${other}/`));
      if (from.length === 0) continue;
      zones.push({
        target: `./${target}`,
        from: from.map((f) => `./${f}`),
        message: `Layering: ${target} sits below ${from.join(', ')} (see the layer table in eslint.config.mjs).`,
      });
    }
  });
  return zones;
}

/** The generated Prisma clients are the store's business: everything else takes its record types from src/store/records.ts. */
function generatedZone() {
  const outside = fs
    .readdirSync(path.join(root, 'src'))
    .filter((name) => name !== 'store')
    .map((name) => `./src/${name}`);
  return {
    target: [...outside, './dialogs'],
    from: './generated',
    message: 'Record types come from src/store/records.ts, not from the generated clients.',
  };
}

/** A feature uses another feature only through its index.ts (its factory and the types of what it provides). */
function featureZones() {
  return features.map((name) => ({
    target: `./src/features/${name}`,
    from: features.filter((other) => other !== name).map((other) => `./src/features/${other}`),
    except: ['./index.ts'],
    message: `A feature imports another feature only through that feature's index.ts.`,
  }));
}

const typeScriptFiles = ['src/**/*.ts', 'dialogs/**/*.ts', 'test/**/*.ts', 'prisma/*.ts'];

export default defineConfig(
  { ignores: ['node_modules/', 'generated/', 'dist/', 'data/', 'coverage/', 'test-results/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    rules: {
      // `let x; ... x = ...` is kept where a callback made earlier reads x and checks it is set yet.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: typeScriptFiles,
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Dependencies are parsed as TypeScript too, or no-cycle cannot follow them.
      'import-x/extensions': ['.ts', '.js', '.cjs', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Type-aware: one TypeScript program for the whole run (the project service, from tsconfig.json).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'dialogs/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: [...layerZones(), ...featureZones(), generatedZone()] }],
    },
  },
  {
    // Files stay small enough to read in one sitting: split by responsibility past 400 lines.
    files: ['src/**/*.{ts,js}', 'dialogs/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    // The web chat embed runs in the shop's page, as a plain browser script.
    files: ['src/features/webchat/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    files: ['scripts/**/*.cjs', 'test/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['eslint.config.mjs'],
    languageOptions: { globals: globals.node },
  },
);
