/**
 * The baseline for the relay's HTTP figures: plain node:http answering the bundle route with a
 * fixed body (a real bundle answer captured from the relay, so the bytes on the wire match). It
 * checks only that the route matches and an Authorization header is present — no auth, no
 * storage, no framework.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const BUNDLE_ROUTE = /^\/v1\/accounts\/[^/?]+\/bundles(\?|$)/;

export function bareHttpHandler(bundleBody: Buffer): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    if (request.method === 'GET' && BUNDLE_ROUTE.test(request.url ?? '') && request.headers.authorization !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bundleBody.length });
      response.end(bundleBody);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    response.end('{"error":{"code":"NOT_FOUND"}}');
  };
}
