/**
 * One HTTP request with node:http / node:https. Used instead of fetch because fetch loads undici
 * on first use, which costs a noticeable part of a command's start-up.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export function sendRequest(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    // agent: false — no kept-alive sockets: a reused socket that the relay closed meanwhile (e.g.
    // it restarted while `listen` ran) would fail a request with ECONNRESET for no real reason.
    const options = { method, agent: false as const, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end(body);
  });
}
