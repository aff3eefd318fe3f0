/** A small JSON-over-HTTP client for tests (global fetch over a real socket). */

export interface HttpResult<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface RequestOptions {
  readonly token?: string;
  /** Raw body text (sent as-is); otherwise `json` is serialized. */
  readonly raw?: string | Uint8Array;
  readonly json?: unknown;
  readonly contentType?: string;
}

export async function request<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.json !== undefined) body = JSON.stringify(options.json);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text.length === 0 ? null : JSON.parse(text);
  } catch {
    // Non-JSON bodies (metrics) stay text.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
