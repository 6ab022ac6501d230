import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/**
 * /readyz against a PostgreSQL that goes away: the API's database connections go through a TCP
 * proxy in front of the run's real PostgreSQL; closing the proxy and cutting its sockets is, for
 * the API, PostgreSQL being down.
 */
describe('/healthz and /readyz', () => {
  let proxy: TcpProxy;
  let stack: TestStack;

  beforeAll(async () => {
    const target = new URL(process.env.TEST_DATABASE_URL!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(target);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    stack = await startTestStack({ worker: false, env: { DATABASE_URL: viaProxy.toString() } });
  });

  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  it('/healthz answers 200 whatever the dependencies', async () => {
    const res = await stack.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 200 while PostgreSQL and Temporal answer', async () => {
    const res = await stack.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
    expect(proxy.open).toBeGreaterThan(0);
  });

  it('turns 503 naming postgres when PostgreSQL goes down, and 200 again when it is back', async () => {
    await proxy.down();

    const down = await eventually(async () => {
      const res = await stack.http.get('/readyz');
      return res.status === 503 ? res : undefined;
    }, { timeoutMs: 15_000, what: '/readyz to answer 503' });
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(down.body).toMatchObject({ status: 503, title: 'Service Unavailable', checks: { postgres: 'unreachable', temporal: 'ok' } });
    expect(down.body.type).toMatch(/not-ready$/);
    expect(down.body.detail).toContain('postgres');
    expect(down.body.detail).not.toContain('temporal');
    // Liveness does not depend on PostgreSQL: an orchestrator must not restart the process for it.
    expect((await stack.http.get('/healthz')).status).toBe(200);

    // Answered within the check's own deadline, not hanging on the dead connection.
    const started = Date.now();
    expect((await stack.http.get('/readyz')).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000);

    await proxy.up();
    const back = await eventually(async () => {
      const res = await stack.http.get('/readyz');
      return res.status === 200 ? res : undefined;
    }, { timeoutMs: 15_000, what: '/readyz to recover' });
    expect(back.body).toMatchObject({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
  });
});
