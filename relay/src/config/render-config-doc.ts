/**
 * Renders docs/config.md from configSchema (its JSON Schema form carries every description and
 * default), so the document cannot drift from the code: relay/test/config/config-doc.test.ts
 * compares the file with this rendering and `UPDATE_DOCS=1 npx vitest run relay/test/config`
 * rewrites it.
 */
import { z } from 'zod';
import { configSchema } from './config-schema.js';
import { envNameFor } from './load-config.js';

interface JsonSchemaNode {
  readonly type?: string | string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly properties?: Record<string, JsonSchemaNode>;
  readonly anyOf?: readonly JsonSchemaNode[];
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum !== undefined) return node.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (node.anyOf !== undefined) return node.anyOf.map(typeOf).join(' \\| ');
  const types = Array.isArray(node.type) ? node.type : [node.type ?? 'any'];
  return types.join(' \\| ');
}

function rangeOf(node: JsonSchemaNode): string {
  const parts: string[] = [];
  const safe = Number.MAX_SAFE_INTEGER;
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  else if (node.minimum !== undefined && node.minimum > -safe) parts.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined && node.maximum < safe) parts.push(`≤ ${node.maximum}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** One table row per leaf option; a nested group's description prefixes its children's. */
function rows(node: JsonSchemaNode, path: string[], out: string[], prefix = ''): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = [...path, key];
    if (child.properties !== undefined) {
      rows(child, childPath, out, child.description === undefined ? prefix : `${prefix}${child.description} `);
      continue;
    }
    const description = `${prefix}${child.description ?? ''}`.replace(/\|/g, '\\|');
    out.push(`| \`${childPath.join('.')}\` | ${typeOf(child)}${rangeOf(child)} | \`${JSON.stringify(child.default)}\` | \`${envNameFor(childPath)}\` | ${description} |`);
  }
}

export function renderConfigDoc(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input' }) as JsonSchemaNode;
  const out: string[] = [
    '# Relay configuration',
    '',
    'The relay reads one typed configuration, validated at start: unknown keys, wrong types and',
    'out-of-range values are refused with every problem listed. Sources, lowest precedence first:',
    '',
    '1. defaults (below; `sealpost-relay print-default-config` prints them as JSON),',
    '2. a JSON file given with `--config FILE` (or `SEALPOST_RELAY_CONFIG=FILE`),',
    '3. environment variables named in the table (values are read as JSON when they parse,',
    '   otherwise as strings),',
    '4. flags: `--host`, `--port`, `--data-dir`, `--log-level`, `--push-allow-private-endpoints`.',
    '',
    '`sealpost-relay check-config [--config FILE]` validates without starting and prints the result.',
    '',
    'This file is generated from `relay/src/config/config-schema.ts`',
    '(`UPDATE_DOCS=1 npx vitest run relay/test/config`); a test keeps the two equal.',
    '',
  ];
  const header = ['| option | type | default | environment | description |', '| --- | --- | --- | --- | --- |'];
  for (const [section, node] of Object.entries(schema.properties ?? {})) {
    out.push(`## \`${section}\``, '');
    if (node.properties === undefined) {
      // A top-level leaf (dataDir): its description goes in the table like any other option.
      out.push(...header);
      rows({ properties: { [section]: node } }, [], out);
    } else {
      if (node.description !== undefined) out.push(node.description, '');
      out.push(...header);
      rows(node, [section], out);
    }
    out.push('');
  }
  return out.join('\n');
}
