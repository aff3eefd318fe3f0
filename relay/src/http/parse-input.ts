/**
 * Validates request input (bodies, params, query strings) against the wire-contract schemas.
 * Failures become RELAY_ERR_INVALID_REQUEST listing each failing path and the reason — never the
 * offending value, which may be a key or a ciphertext.
 */
import type { z } from 'zod';
import { RelayError } from '../errors.js';

export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

export function schemaIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new RelayError('RELAY_ERR_INVALID_REQUEST', what, { issues: schemaIssues(result.error) });
  return result.data;
}
