import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, stopChild, waitForPort } from '../../platform/child-process';
import { stripeMockBinary } from '../../platform/tools';

/** One request the Stripe SDK sent, as stripe-mock received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  params: URLSearchParams;
}

export interface InjectedResponse {
  status: number;
  body: unknown;
}

/**
 * stripe-mock (Stripe's own API schema validator, pinned v0.197.0) behind a small recording proxy:
 * the proxy lets tests assert what the SDK sent (idempotency keys, parameters), inject error
 * answers stripe-mock cannot produce (declines, rate limits), and give a retrieved PaymentIntent
 * a charge (stripe-mock's fixture has none) so `source_transaction` can be exercised.
 */
export class StripeMock {
  readonly requests: RecordedRequest[] = [];
  /** Answers the next request matching `path` (a prefix) with this instead of forwarding it. */
  private injections: Array<{ method: string; pathPrefix: string; response: InjectedResponse }> = [];
  /** The charge id a GET /v1/payment_intents/:id answers with. */
  latestCharge = 'ch_3MockChargeFromProxy';

  private constructor(
    private readonly child: ChildProcess,
    private readonly proxy: http.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<StripeMock> {
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const child = spawn(stripeMockBinary(), ['-http-addr', `127.0.0.1:${httpPort}`, '-https-addr', `127.0.0.1:${httpsPort}`], { stdio: 'ignore' });
    await waitForPort(httpPort, '127.0.0.1', 30_000);
    let mock: StripeMock | undefined = undefined;
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void mock!.handle(req, res, Buffer.concat(chunks), httpPort));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    mock = new StripeMock(child, proxy, (proxy.address() as AddressInfo).port);
    return mock;
  }

  inject(method: string, pathPrefix: string, response: InjectedResponse): void {
    this.injections.push({ method, pathPrefix, response });
  }

  /** Requests sent since `from` (an index into `requests`). */
  since(from: number): RecordedRequest[] {
    return this.requests.slice(from);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.proxy.close(() => resolve()));
    await stopChild(this.child, 2_000);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, upstreamPort: number): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const params = method === 'GET' ? url.searchParams : new URLSearchParams(body.toString('utf8'));
    const key = req.headers['idempotency-key'];
    this.requests.push({ method, path: url.pathname, idempotencyKey: Array.isArray(key) ? key[0] : key, params });

    const i = this.injections.findIndex((x) => x.method === method && url.pathname.startsWith(x.pathPrefix));
    if (i >= 0) {
      const [{ response }] = this.injections.splice(i, 1);
      res.writeHead(response.status, { 'content-type': 'application/json', 'request-id': 'req_injected' });
      res.end(JSON.stringify(response.body));
      return;
    }

    const upstream = http.request({ host: '127.0.0.1', port: upstreamPort, method, path: req.url, headers: req.headers }, (up) => {
      const parts: Buffer[] = [];
      up.on('data', (c: Buffer) => parts.push(c));
      up.on('end', () => {
        let text = Buffer.concat(parts).toString('utf8');
        if (method === 'GET' && /^\/v1\/payment_intents\/[^/]+$/.test(url.pathname) && up.statusCode === 200) {
          const intent = JSON.parse(text);
          intent.latest_charge = this.latestCharge;
          text = JSON.stringify(intent);
        }
        const headers = { ...up.headers };
        delete headers['content-length'];
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(text);
      });
    });
    upstream.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    upstream.end(body);
  }
}
