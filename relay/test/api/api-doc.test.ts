/** docs/api.md documents every frame type and every route the relay serves. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clientFrameSchema, serverFrameSchema } from '../../src/api/index.js';
import { startRelay } from '../support/relay-harness.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/api.md', import.meta.url)), 'utf8');

describe('docs/api.md', () => {
  it('has an example of every client and relay frame type', () => {
    const types = [...clientFrameSchema.options, ...serverFrameSchema.options].map((o) => o.shape.type.value);
    for (const type of types) expect(doc, type).toContain(`"type": "${type}"`);
  });

  it('documents every route the relay serves, by method and path', async () => {
    // Push on (it needs a VAPID subject) and the default local media backend: every route exists.
    const h = await startRelay({ push: { subject: 'mailto:ops@sealpost.test' } });
    let tree: string;
    try {
      tree = h.relay.app.printRoutes({ commonPrefix: false });
    } finally {
      await h.stop();
    }
    // printRoutes draws a tree: rebuild each full path from the segments above it.
    const stack: string[] = [];
    const served: string[] = [];
    for (const line of tree.split('\n')) {
      const match = /^([│ ├└─]*?)(\/\S*) \(([^)]+)\)$/.exec(line);
      if (match === null) continue;
      const depth = match[1]!.length / 4;
      stack[depth] = (depth <= 1 ? '' : stack[depth - 1]!) + match[2]!;
      for (const method of match[3]!.split(', ')) if (method !== 'HEAD') served.push(`${method} ${stack[depth]}`);
    }
    expect(served.length).toBeGreaterThanOrEqual(28);
    for (const route of served) expect(doc, route).toContain(`\`${route}`);
  });
});
