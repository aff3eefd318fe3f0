// The Wycheproof loader: it finds ../shared/vectors from the repository root, parses a file, and
// when the folder is missing registers a skipped suite (with one warning) instead of running.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeWycheproof,
  loadWycheproof,
  REPO_ROOT,
  VECTORS_DIR,
  WYCHEPROOF_DIR,
  WYCHEPROOF_SKIP_TITLE,
  wycheproofAvailable,
  type SuiteRegistrar,
  type XdhGroup,
} from './wycheproof.js';

const MISSING = join(REPO_ROOT, 'no-such-vectors-folder');

// Register two suites against a missing folder through a recording registrar: neither body may
// run, both must be registered as skipped under the skip title, and only one warning shows.
const calls: string[] = [];
const recorder: SuiteRegistrar = {
  describe: (title) => calls.push(`describe ${title}`),
  skip: (title) => calls.push(`skip ${title}`),
  warn: (message) => calls.push(`warn ${message}`),
};
let ranMissingBody = false;
describeWycheproof('body that must not run', () => {
  ranMissingBody = true;
}, MISSING, recorder);
describeWycheproof('second registration', () => {
  ranMissingBody = true;
}, MISSING, recorder);

describe('Wycheproof loader', () => {
  it('resolves ../shared/vectors beside the repository root', () => {
    expect(existsSync(join(REPO_ROOT, 'crypto', 'package.json'))).toBe(true);
    expect(VECTORS_DIR).toBe(join(REPO_ROOT, '..', 'shared', 'vectors'));
    expect(WYCHEPROOF_DIR).toBe(join(VECTORS_DIR, 'wycheproof'));
    expect(WYCHEPROOF_SKIP_TITLE).toBe('Wycheproof vectors not found at ../shared/vectors — skipped');
  });

  it('skips, with one warning naming the folder, when the vectors are missing', () => {
    expect(wycheproofAvailable(MISSING)).toBe(false);
    expect(ranMissingBody).toBe(false);
    expect(calls).toEqual([
      `warn ${WYCHEPROOF_SKIP_TITLE} (looked in ${MISSING})`,
      `skip ${WYCHEPROOF_SKIP_TITLE}`,
      `skip ${WYCHEPROOF_SKIP_TITLE}`,
    ]);
  });

  it('fails loudly when the folder exists but a file does not', () => {
    expect(() => loadWycheproof('no_such_test.json', REPO_ROOT)).toThrow();
  });
});

describeWycheproof('Wycheproof loader with the vectors present', () => {
  it('parses a vector file whose groups hold numberOfTests cases', () => {
    const file = loadWycheproof<XdhGroup>('x25519_test.json');
    expect(file.algorithm).toBe('XDH');
    const total = file.testGroups.reduce((sum, g) => sum + g.tests.length, 0);
    expect(total).toBe(file.numberOfTests);
  });
});
