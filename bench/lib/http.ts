import http from 'node:http';

export interface PostResult {
  status: number;
  body: string;
}

/**
 * A keep-alive HTTP client for load generation: plain node:http with a bounded socket pool, so the
 * load generator itself costs little next to what it measures.
 */
export function keepAlivePoster(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const postRaw = (path: string, payload: string, headers: Record<string, string> = {}) =>
    new Promise<PostResult>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) => postRaw(path, JSON.stringify(body), headers);
  return { postRaw, postJson, close: () => agent.destroy() };
}
