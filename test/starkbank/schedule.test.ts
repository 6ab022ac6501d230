import { ensureStarkbankSchedule } from '../../workers/starkbank-schedule';
import { isValidCpf } from '../../activities/starkbank/payers';
import { eventually, startStarkbankStack, type StarkbankStack } from './helpers';

describe('the starkbank-invoices schedule issues 8–12 invoices per run, once', () => {
  let s: StarkbankStack;
  beforeAll(async () => {
    s = await startStarkbankStack({ STARKBANK_SCHEDULE_ENABLED: 'true', STARKBANK_INVOICE_INTERVAL: '1h', STARKBANK_INVOICE_WINDOW: '24h' });
  });
  afterAll(async () => {
    await s?.stack.deps.temporal.schedule.getHandle(s.stack.config.STARKBANK_SCHEDULE_ID).delete().catch(() => undefined);
    await s?.stop();
  });

  it('runs at once, issues one invoice.create even when the activity is retried after it, and lists them', async () => {
    // The bank creates the invoices but the answer is lost: the retried activity must find them by the run tag.
    s.fake.failNext('POST /v2/invoice', { status: 500, commit: true });
    await ensureStarkbankSchedule(s.stack.deps);
    const handle = s.stack.deps.temporal.schedule.getHandle(s.stack.config.STARKBANK_SCHEDULE_ID);

    // (Other suites of the run share the database: look only at the invoices this fake issued.)
    const ours = () => s.stack.deps.db('starkbank_invoices').whereIn('id', [...s.fake.invoices.keys()]).select('*');
    const rows = await eventually(async () => {
      const r = await ours();
      return r.length >= 8 && r.length === s.fake.invoices.size ? r : undefined;
    }, { what: 'invoices recorded', timeoutMs: 40_000 });
    // Let any (wrong) second attempt show itself.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(s.fake.count('POST /v2/invoice')).toBe(1);
    expect(s.fake.count('GET /v2/invoice')).toBeGreaterThanOrEqual(2);
    const runIds = new Set(rows.map((r: { run_id: string }) => r.run_id));
    expect(runIds.size).toBe(1);
    const [runId] = [...runIds];
    const atBank = [...s.fake.invoices.values()].filter((i) => i.tags.includes(`run-${runId}`));
    expect(atBank.length).toBeGreaterThanOrEqual(8);
    expect(atBank.length).toBeLessThanOrEqual(12);
    expect((await ours()).length).toBe(atBank.length);
    expect(s.fake.invoices.size).toBe(atBank.length);
    for (const inv of atBank) {
      expect(isValidCpf(inv.taxId)).toBe(true);
      expect(Number.isInteger(inv.amount)).toBe(true);
    }

    const description = await handle.describe();
    expect(description.info.recentActions.length).toBe(1);
    expect(description.spec.intervals?.[0]?.every).toBe(3_600_000);
    expect(description.spec.endAt!.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);

    // A second worker start updates the schedule in place: no second run, same window.
    await ensureStarkbankSchedule(s.stack.deps);
    await new Promise((r) => setTimeout(r, 1_500));
    const again = await handle.describe();
    expect(again.info.recentActions.length).toBe(1);
    expect(again.spec.endAt!.getTime()).toBe(description.spec.endAt!.getTime());

    // The admin list, paginated.
    const first = await s.stack.http.get(`/v1/admin/starkbank/invoices?limit=5&runId=${runId}`, { token: s.admin.token });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    expect(first.body.items[0]).toMatchObject({ status: 'created', run: { id: runId }, amount: { currency: 'BRL' }, fee: { amount: 0 } });
    expect(first.body.nextCursor).toBeTruthy();
    const second = await s.stack.http.get(`/v1/admin/starkbank/invoices?limit=50&runId=${runId}&cursor=${first.body.nextCursor}`, { token: s.admin.token });
    expect(second.body.items).toHaveLength(atBank.length - 5);
    expect(second.body.nextCursor).toBeNull();
    const allIds = [...first.body.items, ...second.body.items].map((i: { id: string }) => i.id).sort();
    expect(allIds).toEqual(atBank.map((i) => i.id).sort());
  });
});
