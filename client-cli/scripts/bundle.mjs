// Bundles the `sealpost` CLI with esbuild, after `tsc -b` has built client-cli/dist: Node loads
// a few dozen chunks instead of ~190 separate modules, which is most of the gain in cold start.
// Command modules stay separate chunks (their dynamic import() is kept), so `--help` stays light.
// The output sits two levels below client-cli/ (bundle/bin/), like dist/bin/, because
// packageVersion() in cli/program.ts reads ../../package.json relative to the module.
//
// Usage: node client-cli/scripts/bundle.mjs   (run by the root build, prepare, test and bench scripts)
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const entry = `${pkgDir}dist/bin/sealpost.js`;
const outdir = `${pkgDir}bundle/bin`;
const bin = `${outdir}/sealpost.js`;

if (!existsSync(entry)) {
  console.error(`${entry} is missing: run \`tsc -b\` first`);
  process.exit(1);
}
// Start clean: chunk names carry content hashes, so stale chunks would otherwise pile up.
rmSync(`${pkgDir}bundle`, { recursive: true, force: true });

await build({
  entryPoints: [entry],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: false,
  logLevel: 'warning',
  external: [
    // A native addon: loaded from node_modules at run time.
    'better-sqlite3',
    // ws's optional native helpers (required inside try/catch): used when installed, never bundled.
    'bufferutil',
    'utf-8-validate',
  ],
  // Bundled CommonJS dependencies (commander, ws, ...) call require(); ESM output has none.
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
});

if (!readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')) {
  console.error(`${bin} does not start with the shebang`);
  process.exit(1);
}
chmodSync(bin, 0o755);
