/**
 * docs/config.md is generated from the config schema; this test keeps the two equal.
 * Regenerate with `UPDATE_DOCS=1 npx vitest run relay/test/config`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { optionPaths } from '../../src/config/load-config.js';
import { renderConfigDoc } from '../../src/config/render-config-doc.js';

const DOC = fileURLToPath(new URL('../../../docs/config.md', import.meta.url));

describe('docs/config.md', () => {
  it('lists every option', () => {
    const doc = renderConfigDoc();
    for (const path of optionPaths()) expect(doc).toContain(`\`${path.join('.')}\``);
  });

  it('equals the rendering of the schema', () => {
    const rendered = renderConfigDoc();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, rendered);
    expect(readFileSync(DOC, 'utf8')).toBe(rendered);
  });
});
