import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { createFan, createTalent, tmpDir } from './helpers';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/** Monthly payouts: export (CLI and API, CSV and JSON) creates records once; import is all-or-nothing and idempotent. */
describe('shoutout payouts export and import', () => {
  let stack: TestStack;
  let dir: string;
  let admin: TestAccount;
  let alpha: TestAccount;
  let beta: TestAccount;
  // A month no other suite exports: exporting a closed month freezes it for the whole database.
  const month = '2024-10';

  const cli = async (script: string, args: string[]) => {
    try {
      const { stdout, stderr } = await run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', script), ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: stack.config.DATABASE_URL, LOG_LEVEL: 'silent' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  /** A delivered order written straight to the table (delivery itself is covered end to end elsewhere). */
  async function delivered(talentId: string, fanId: string, price: number, deliveredAt: string, refund?: { amount: number; talent: number; completedAt: string }) {
    const id = `sho_fixture_${Math.random().toString(36).slice(2, 12)}`;
    const fee = Math.round(price / 4);
    await stack.deps.db('shoutout_orders').insert({
      id, workflow_id: `shoutout-${id}`, fan_id: fanId, talent_id: talentId, status: 'delivered', recipient_name: 'Ana', occasion: 'birthday',
      price_amount: price, currency: 'USD', platform_fee_amount: fee, talent_share_amount: price - fee, delivered_at: deliveredAt, closed_at: deliveredAt,
    });
    if (refund) {
      await stack.deps.db('shoutout_refunds').insert({
        id: `ref_${id}`, order_id: id, talent_id: talentId, amount: refund.amount, currency: 'USD', talent_portion: refund.talent, fee_portion: refund.amount - refund.talent,
        reason: 'fixture', status: 'succeeded', requested_by: admin.id, completed_at: refund.completedAt,
      });
    }
  }

  beforeAll(async () => {
    dir = tmpDir('payouts');
    stack = await startTestStack({ worker: false });
    admin = await createActiveAccount(stack.deps, { kind: 'fan', roles: ['admin'] });
    alpha = await createTalent(stack, { displayName: 'Alpha, the "Great"' });
    beta = await createTalent(stack, { displayName: 'Beta' });
    const gamma = await createTalent(stack, { displayName: 'Gamma' });
    const fan = await createFan(stack);
    await delivered(alpha.id, fan.id, 5000, '2024-10-03T10:00:00Z', { amount: 1000, talent: 750, completedAt: '2024-10-20T10:00:00Z' });
    await delivered(alpha.id, fan.id, 3000, '2024-10-15T10:00:00Z');
    await delivered(alpha.id, fan.id, 7000, '2024-09-30T23:59:59Z');
    await delivered(beta.id, fan.id, 10000, '2024-10-31T23:59:59.999Z');
    await delivered(gamma.id, fan.id, 4000, '2024-11-01T00:00:00Z');
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports one row per talent with deliveries that month, once, the same from the CLI and the API', async () => {
    const file = path.join(dir, 'payouts.csv');
    const exported = await cli('payouts-export.ts', ['--month', month, '--out', file]);
    expect(exported.code).toBe(0);
    const csv = fs.readFileSync(file, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('payout_id,talent_id,name,email,orders,gross,platform_fee,refunds,adjustments,amount_due,currency');
    expect(lines.slice(1).map((l) => l.replace(/^po_\w+,/, 'ID,'))).toEqual([
      `ID,${alpha.id},"Alpha, the ""Great""",${alpha.email},2,80.00,20.00,7.50,0.00,52.50,USD`,
      `ID,${beta.id},Beta,${beta.email},1,100.00,25.00,0.00,0.00,75.00,USD`,
    ]);

    // Again: the same rows (same payout ids), nothing new created.
    const again = await cli('payouts-export.ts', ['--month', month]);
    expect(again.stdout).toBe(csv);
    expect(await stack.deps.db('shoutout_payouts').where({ month }).count({ n: '*' })).toEqual([{ n: 2 }]);

    const asJson = await stack.http.get(`/v1/admin/payouts?month=${month}`, { token: admin.token });
    expect(asJson.status).toBe(200);
    expect(asJson.body.items).toHaveLength(2);
    expect(asJson.body.items[0]).toMatchObject({ talentId: alpha.id, orders: 2, gross: { amount: 8000, currency: 'USD' }, platformFee: { amount: 2000 }, refunds: { amount: 750 }, amountDue: { amount: 5250 }, status: 'pending' });
    const asCsv = await stack.http.get(`/v1/admin/payouts?month=${month}`, { token: admin.token, headers: { accept: 'text/csv' } });
    expect(asCsv.headers.get('content-type')).toContain('text/csv');
    expect(asCsv.text).toBe(csv);

    expect((await stack.http.get(`/v1/admin/payouts?month=${month}`, { token: alpha.token })).status).toBe(403);
    expect((await stack.http.get('/v1/admin/payouts?month=2026-13', { token: admin.token })).status).toBe(400);
    expect((await cli('payouts-export.ts', ['--month', 'october'])).code).toBe(1);
  }, 60_000);

  it('imports statuses all-or-nothing, lists every bad line, and a re-import changes nothing', async () => {
    const rows = await stack.deps.db('shoutout_payouts').where({ month }).orderBy('name');
    const [a, b] = rows.map((r: { id: string }) => r.id);

    const malformed = path.join(dir, 'malformed.csv');
    fs.writeFileSync(
      malformed,
      [
        'payout_id,status,paid_at,reference',
        `${a},paid,2026-11-05T10:00:00Z,WIRE-1`,
        `${b},sent,2026-11-05,WIRE-2`,
        'po_unknown,paid,2026-11-05,WIRE-3',
        `${b},paid,yesterday,WIRE-4`,
        `${b},paid,2026-11-05`,
        `"${b},failed,,`,
      ].join('\n'),
    );
    const rejected = await cli('payouts-import.ts', [malformed]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('nothing was applied');
    for (const line of [3, 4, 5, 6, 7]) expect(rejected.stderr).toMatch(new RegExp(`line ${line}:`));
    expect(rejected.stderr).not.toMatch(/line 2:/);
    expect((await stack.deps.db('shoutout_payouts').whereIn('id', [a, b]).pluck('status')).sort()).toEqual(['pending', 'pending']);

    const good = path.join(dir, 'bank.csv');
    fs.writeFileSync(good, `payout_id,status,paid_at,reference\r\n${a},paid,2026-11-05T10:00:00Z,"WIRE-1, batch 7"\r\n${b},failed,,account closed\r\n`);
    const imported = await cli('payouts-import.ts', [good]);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain('2 payout(s) updated, 0 unchanged');
    const after = await stack.deps.db('shoutout_payouts').whereIn('id', [a, b]).orderBy('name');
    expect(after.map((r: { status: string; reference: string | null }) => [r.status, r.reference])).toEqual([
      ['paid', 'WIRE-1, batch 7'],
      ['failed', 'account closed'],
    ]);
    expect(after[0].paid_at.toISOString()).toBe('2026-11-05T10:00:00.000Z');

    const reimported = await cli('payouts-import.ts', [good]);
    expect(reimported.code).toBe(0);
    expect(reimported.stdout).toContain('0 payout(s) updated, 2 unchanged');
    const same = await stack.deps.db('shoutout_payouts').whereIn('id', [a, b]).orderBy('name');
    expect(same.map((r: { updated_at: Date }) => r.updated_at.getTime())).toEqual(after.map((r: { updated_at: Date }) => r.updated_at.getTime()));

    // A paid payout cannot be re-written by another file.
    const conflicting = path.join(dir, 'conflict.csv');
    fs.writeFileSync(conflicting, `payout_id,status,paid_at,reference\n${a},paid,2026-11-06,WIRE-9\n`);
    const conflict = await cli('payouts-import.ts', [conflicting]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/line 2: .*already paid/);

    // The statement (CSV) stays as exported; the statuses show in the JSON.
    const json = await stack.http.get(`/v1/admin/payouts?month=${month}`, { token: admin.token });
    expect(json.body.items.map((p: { status: string }) => p.status)).toEqual(['paid', 'failed']);
  }, 60_000);
});
