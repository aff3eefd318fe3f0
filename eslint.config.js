// Lint for the whole workspace. Besides typescript-eslint's recommended rules, it enforces the
// package boundaries from DESIGN.md §1: crypto/ does no I/O, the public subpath of crypto cannot
// reach anything that decrypts, and the relay imports only @sealpost/crypto/public.
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'net', 'http', 'https', 'crypto', 'child_process', 'stream', 'worker_threads', 'dgram', 'tls', 'zlib'];
const ONLY_SQLITE = { name: 'better-sqlite3', message: 'Only relay/src/storage/sqlite imports better-sqlite3 (DESIGN.md §1).' };
const ONLY_PUSH = { name: 'web-push', message: 'Only relay/src/push imports web-push (DESIGN.md §1).' };
const ONLY_MINIO = { name: 'minio', message: 'Only relay/src/media imports the MinIO client (DESIGN.md §1).' };
const IO_LIBRARIES = ['ws', 'better-sqlite3', 'pino', 'pino-*', 'fastify', '@fastify/*', 'minio', 'web-push', 'pg', 'ioredis', 'redis', 'commander'];

export default tseslint.config(
  { ignores: ['**/dist/**', 'client-cli/bundle/**', '**/node_modules/**', 'coverage/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Name what a module re-exports; `export *` is banned.' }],
    },
  },
  {
    files: ['crypto/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: NODE_BUILTINS, message: 'crypto/ is pure: no node:* modules or I/O (DESIGN.md §1).' },
          { group: IO_LIBRARIES, message: 'crypto/ is pure: no I/O libraries and no logger (DESIGN.md §1).' },
          { group: ['libsodium-wrappers', 'libsodium-wrappers-sumo'], message: 'Only crypto/src/_sodium.ts imports libsodium.' },
        ],
      }],
    },
  },
  {
    files: ['crypto/src/_sodium.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: NODE_BUILTINS, message: 'crypto/ is pure: no node:* modules or I/O (DESIGN.md §1).' },
          { group: IO_LIBRARIES, message: 'crypto/ is pure: no I/O libraries and no logger (DESIGN.md §1).' },
        ],
      }],
    },
  },
  {
    // The relay's allowed surface: nothing under crypto/src/public may reach a module that can
    // decrypt. It may use only its own folder and noble's Ed25519 verification and hashes.
    files: ['crypto/src/public/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '^\\.\\./(?!errors\\.js$|primitives/bytes\\.js$)', message: 'crypto/src/public may import only its own folder, ../errors.js and ../primitives/bytes.js (nothing that decrypts).' },
          { regex: '^@noble/(ciphers|post-quantum)', message: 'crypto/src/public may not import ciphers or KEMs.' },
          { regex: '^@noble/curves/(?!ed25519\\.js$)', message: 'crypto/src/public may import only @noble/curves/ed25519.js.' },
          { group: NODE_BUILTINS, message: 'crypto/ is pure: no node:* modules or I/O (DESIGN.md §1).' },
          { group: ['libsodium-wrappers', 'libsodium-wrappers-sumo', ...IO_LIBRARIES], message: 'crypto/src/public stays minimal.' },
        ],
      }],
    },
  },
  {
    files: ['relay/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '^@sealpost/crypto(?!/public$)', message: 'The relay may import only @sealpost/crypto/public (DESIGN.md §1).' },
          { regex: '(^|/)crypto/src/', message: 'The relay may import only @sealpost/crypto/public (DESIGN.md §1).' },
          { regex: '^@noble/(ciphers|post-quantum)|^libsodium', message: 'The relay never decrypts: no cipher libraries.' },
          { regex: '^@sealpost/cli', message: 'The relay does not depend on the client.' },
        ],
      }],
    },
  },
  // One no-restricted-imports block per folder, since a later block replaces the rule's options:
  // only storage/sqlite imports better-sqlite3, only push/ imports web-push, only media/ imports
  // minio.
  {
    files: ['relay/src/**/*.ts'],
    ignores: ['relay/src/storage/sqlite/**', 'relay/src/push/**', 'relay/src/media/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ONLY_SQLITE, ONLY_PUSH, ONLY_MINIO] }],
    },
  },
  {
    files: ['relay/src/storage/sqlite/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ONLY_PUSH, ONLY_MINIO] }],
    },
  },
  {
    files: ['relay/src/push/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ONLY_SQLITE, ONLY_MINIO] }],
    },
  },
  {
    files: ['relay/src/media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ONLY_SQLITE, ONLY_PUSH] }],
    },
  },
);
