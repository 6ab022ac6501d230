import { startTestStack, type TestStack } from '../harness/stack';

/** `/dev/mailbox` in a browser: an HTML list and message; JSON for everyone else. */
describe('the development mailbox in a browser', () => {
  let stack: TestStack;
  const to = `reader-${Date.now()}@example.com`;
  const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    await stack.deps.ports.mailer.send({ to, kind: 'test', subject: 'Your code <1234>', text: 'Hi Ana,\n\nYour code is 1234.', html: '<p>Hi Ana,</p><p>Your code is <b>1234</b>.</p>' }, { idempotencyKey: `mailbox-test-${to}-1` });
    await stack.deps.ports.mailer.send({ to, kind: 'test', subject: 'Second', text: 'Second message', html: '<p>Second</p>' }, { idempotencyKey: `mailbox-test-${to}-2` });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the messages as HTML, newest first, each linking to its page', async () => {
    const res = await stack.http.get(`/dev/mailbox?to=${encodeURIComponent(to)}`, { headers: { accept: BROWSER } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('<table>');
    expect(res.text).toContain('Your code &lt;1234&gt;');
    expect(res.text.indexOf('Second')).toBeLessThan(res.text.indexOf('Your code'));
    expect(res.text).toMatch(/href="\/dev\/mailbox\?id=[^"&]+&amp;to=/);
  });

  it('shows one message with its HTML sandboxed and its text', async () => {
    const json = await stack.http.get(`/dev/mailbox?to=${encodeURIComponent(to)}`);
    const first = json.body.items[0];
    const res = await stack.http.get(`/dev/mailbox?id=${first.id}&to=${encodeURIComponent(to)}`, { headers: { accept: BROWSER } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<iframe sandbox=""');
    expect(res.text).toContain('srcdoc="&lt;p&gt;Hi Ana,&lt;/p&gt;');
    expect(res.text).toContain('<pre>Hi Ana,\n\nYour code is 1234.</pre>');
    expect((await stack.http.get('/dev/mailbox?id=nope', { headers: { accept: BROWSER } })).status).toBe(404);
  });

  it('still answers JSON to API clients', async () => {
    const res = await stack.http.get(`/dev/mailbox?to=${encodeURIComponent(to)}`, { headers: { accept: 'application/json' } });
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body.items.map((m: { subject: string }) => m.subject)).toEqual(['Your code <1234>', 'Second']);
    const one = await stack.http.get(`/dev/mailbox?id=${res.body.items[1].id}`);
    expect(one.body.items).toHaveLength(1);
  });
});
