/**
 * Builds the relay configuration from its three sources, lowest precedence first: a JSON config
 * file, SEALPOST_RELAY_* environment variables, then command-line flags. The merged object is
 * validated once against configSchema; every problem (unknown key, wrong type, out of range) is
 * reported together so an operator can fix them in one pass.
 *
 * Environment names: the option path in SCREAMING_SNAKE_CASE with `__` between levels, e.g.
 * `limits.maxEnvelopeBytes` is SEALPOST_RELAY_LIMITS__MAX_ENVELOPE_BYTES. Values are read as JSON
 * when they parse (numbers, booleans, null) and as plain strings otherwise.
 */
import { readFileSync } from 'node:fs';
import { RelayError } from '../errors.js';
import { configSchema, defaultConfig } from './config-schema.js';
import type { RelayConfig } from './config-schema.js';

export const ENV_PREFIX = 'SEALPOST_RELAY_';
/** Variables with the prefix that are not options (read by the bin, not by the schema). */
const ENV_NOT_OPTIONS = new Set([`${ENV_PREFIX}CONFIG`]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface ConfigSources {
  /** Path of a JSON config file, if any. */
  readonly file?: string | undefined;
  /** Parsed file contents (tests); used instead of reading `file`. */
  readonly fileContents?: unknown;
  /** The process environment (only SEALPOST_RELAY_* entries are read). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Options from command-line flags, already shaped like the config. */
  readonly flags?: unknown;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge where `over` wins; arrays and scalars replace. */
function merge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isObject(prior) && isObject(value) ? merge(prior, value) : value;
  }
  return out;
}

function toEnvSegment(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Every leaf option path of the config, e.g. ['limits', 'maxEnvelopeBytes']. */
export function optionPaths(value: unknown = defaultConfig(), prefix: string[] = []): string[][] {
  if (!isObject(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => optionPaths(child, [...prefix, key]));
}

export function envNameFor(path: readonly string[]): string {
  return ENV_PREFIX + path.map(toEnvSegment).join('__');
}

function parseEnvValue(raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

/** Reads SEALPOST_RELAY_* variables into a partial config; unknown names are problems. */
function fromEnv(env: Readonly<Record<string, string | undefined>>, problems: string[]): JsonObject {
  const byName = new Map(optionPaths().map((path) => [envNameFor(path), path]));
  let out: JsonObject = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined || ENV_NOT_OPTIONS.has(name)) continue;
    const path = byName.get(name);
    if (path === undefined) {
      problems.push(`environment: unknown variable ${name}`);
      continue;
    }
    let leaf: Json = parseEnvValue(raw);
    for (let i = path.length - 1; i >= 0; i--) leaf = { [path[i] as string]: leaf };
    out = merge(out, leaf as JsonObject);
  }
  return out;
}

function readFile(path: string, problems: string[]): JsonObject {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`config file ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) {
      problems.push(`config file ${path}: must hold a JSON object`);
      return {};
    }
    return parsed;
  } catch (error) {
    problems.push(`config file ${path}: not valid JSON (${(error as Error).message})`);
    return {};
  }
}

/** Loads and validates; throws RelayError RELAY_ERR_CONFIG_INVALID with `details.problems`. */
export function loadConfig(sources: ConfigSources = {}): RelayConfig {
  const problems: string[] = [];
  let merged: JsonObject = {};
  if (sources.fileContents !== undefined) {
    if (isObject(sources.fileContents)) merged = sources.fileContents;
    else problems.push('config file: must hold a JSON object');
  } else if (sources.file !== undefined) {
    merged = readFile(sources.file, problems);
  }
  if (sources.env !== undefined) merged = merge(merged, fromEnv(sources.env, problems));
  if (sources.flags !== undefined && isObject(sources.flags)) merged = merge(merged, sources.flags);

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const where = issue.path.length === 0 ? '(top level)' : issue.path.join('.');
      problems.push(`${where}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) {
    throw new RelayError('RELAY_ERR_CONFIG_INVALID', problems.join('; '), { problems });
  }
  const config = result.data;
  if (config.limits.defaultTtlSeconds > config.limits.maxTtlSeconds) {
    throw new RelayError('RELAY_ERR_CONFIG_INVALID', 'limits.defaultTtlSeconds exceeds limits.maxTtlSeconds', {
      problems: ['limits.defaultTtlSeconds: exceeds limits.maxTtlSeconds'],
    });
  }
  return config;
}
