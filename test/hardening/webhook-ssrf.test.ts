import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createWebhookActivities } from '../../activities/billing/webhooks';
import { checkOutboundUrl, forbiddenAddressReason } from '../../platform/outbound-url';
import { appendBillingEvent } from '../../stores/billing/events';
import { ensureDelivery } from '../../stores/billing/webhook-deliveries';
import { createWebhookEndpoint } from '../../stores/billing/webhook-endpoints';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';

/**
 * Finding 6 of the hardening issue: outbound webhooks must not reach the platform's own network
 * (SSRF), at registration and at every delivery (DNS may change in between), unless
 * OUTBOUND_ALLOW_PRIVATE_NETWORKS says so (development, tests).
 */
describe('hardening: webhook endpoints cannot point into private networks', () => {
  let stack: TestStack;
  let admin: TestAccount;
  let receiver: http.Server;
  let hits = 0;
  let receiverUrl: string;

  beforeAll(async () => {
    stack = await startTestStack({ worker: false, env: { OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'false' } });
    admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    receiver = http.createServer((req, res) => {
      hits++;
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await stack.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('refuses loopback, unspecified, private, link-local and metadata addresses at registration (422 naming url)', async () => {
    const port = (receiver.address() as AddressInfo).port;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      `http://0.0.0.0:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]/',
      'http://100.100.100.200/',
    ]) {
      const res = await stack.http.post('/v1/admin/webhook-endpoints', { url, events: ['*'] }, { token: admin.token });
      expect({ url, status: res.status }).toEqual({ url, status: 422 });
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringMatching(/loopback|private|resolve/) }]);
    }
    expect(await stack.deps.db('webhook_endpoints').where('url', 'like', `%:${port}/%`)).toHaveLength(0);
  });

  it('re-checks at every delivery: an endpoint whose name now resolves inside is not called', async () => {
    // What DNS rebinding leaves behind: an endpoint registered while public, now on loopback.
    const endpointId = `whe_${randomUUID().slice(0, 8)}`;
    await createWebhookEndpoint(stack.deps.db, { id: endpointId, url: receiverUrl, events: ['*'], secret: 'whsec_test' });
    const eventId = `evt-ssrf-${randomUUID()}`;
    await appendBillingEvent(stack.deps.db, { id: eventId, type: 'purchase.completed', data: {} });
    const deliveryId = `whd_${randomUUID().slice(0, 8)}`;
    await ensureDelivery(stack.deps.db, { id: deliveryId, endpointId, eventId });

    const activities = createWebhookActivities(stack.deps);
    const result = await activities.billingDeliverWebhook({ deliveryId, attempt: 1 });
    expect(result).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/^refused: .*127\.0\.0\.1.*loopback/) });
    expect(hits).toBe(0);

    // With the development flag, the same delivery goes through (how the other suites receive theirs).
    const allowed = createWebhookActivities({ ...stack.deps, config: { ...stack.config, OUTBOUND_ALLOW_PRIVATE_NETWORKS: true } });
    expect(await allowed.billingDeliverWebhook({ deliveryId, attempt: 2 })).toMatchObject({ ok: true, statusCode: 200 });
    expect(hits).toBe(1);
  });

  it('classifies addresses (unit) and checks every address a name resolves to', async () => {
    for (const ip of ['127.0.0.1', '127.255.0.1', '0.0.0.0', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', '::ffff:10.0.0.1', '224.0.0.1', '255.255.255.255']) {
      expect({ ip, refused: Boolean(forbiddenAddressReason(ip)) }).toEqual({ ip, refused: true });
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111']) expect({ ip, refused: forbiddenAddressReason(ip) }).toEqual({ ip, refused: undefined });
    // One private address among public ones is enough to refuse.
    const mixed = await checkOutboundUrl('https://hooks.example/x', { allowPrivate: false, resolve: async () => ['93.184.216.34', '10.0.0.5'] });
    expect(mixed).toEqual({ ok: false, reason: expect.stringContaining('10.0.0.5') });
    expect(await checkOutboundUrl('https://hooks.example/x', { allowPrivate: false, resolve: async () => ['93.184.216.34'] })).toEqual({ ok: true, addresses: ['93.184.216.34'] });
    expect(await checkOutboundUrl('https://hooks.example/x', { allowPrivate: true, resolve: async () => ['127.0.0.1'] })).toMatchObject({ ok: true });
    expect(await checkOutboundUrl('https://nowhere.invalid/x', { allowPrivate: false, resolve: async () => Promise.reject(new Error('ENOTFOUND')) })).toMatchObject({ ok: false });
  });
});
