import { formatCsv, parseCsv, type CsvError } from '../csv';
import { CURRENCY_EXPONENT, type Money } from '../money';

/**
 * Monthly talent payouts as files: the export CSV the finance team sends to the bank, and the
 * bank's answer read back. Pure: the records themselves live in stores/shoutouts/payouts.ts.
 */
export interface Payout {
  id: string;
  month: string;
  talentId: string;
  name: string;
  email: string;
  orders: number;
  gross: Money;
  platformFee: Money;
  refunds: Money;
  /** Deliveries (+) and refunds (−) that landed in an already frozen month, carried into this payout. */
  adjustments: Money;
  amountDue: Money;
  currency: string;
  status: 'pending' | 'paid' | 'failed';
  paidAt: string | null;
  reference: string | null;
}

/** Minor units as a decimal in major units ("1234" USD → "12.34"). */
export function decimal(m: Money): string {
  const exp = CURRENCY_EXPONENT[m.currency] ?? 2;
  const negative = m.amount < 0;
  const abs = Math.abs(m.amount);
  const major = Math.floor(abs / 10 ** exp);
  return `${negative ? '-' : ''}${major}${exp ? '.' + String(abs % 10 ** exp).padStart(exp, '0') : ''}`;
}

export const PAYOUT_EXPORT_HEADER = ['payout_id', 'talent_id', 'name', 'email', 'orders', 'gross', 'platform_fee', 'refunds', 'adjustments', 'amount_due', 'currency'];
export const PAYOUT_IMPORT_HEADER = ['payout_id', 'status', 'paid_at', 'reference'];

/** The export file: money in major units with the currency's decimals. */
export function payoutsCsv(payouts: Payout[]): string {
  return formatCsv([
    PAYOUT_EXPORT_HEADER,
    ...payouts.map((p) => [p.id, p.talentId, p.name, p.email, p.orders, decimal(p.gross), decimal(p.platformFee), decimal(p.refunds), decimal(p.adjustments), decimal(p.amountDue), p.currency]),
  ]);
}

/** One line of the bank's answer, checked on its own (whether the payout exists is the store's to say). */
export interface PayoutImportLine {
  line: number;
  id: string;
  status: 'paid' | 'failed';
  paidAt: Date | null;
  reference: string | null;
}

export interface ParsedPayoutImport {
  /** The file has no header at all. */
  empty: boolean;
  /** The file has a header but no rows. */
  noRows: boolean;
  lines: PayoutImportLine[];
  errors: CsvError[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads the bank's answer (`payout_id,status,paid_at,reference`; status `paid` | `failed`),
 * listing every bad line rather than stopping at the first.
 */
export function parsePayoutsImport(text: string): ParsedPayoutImport {
  const parsed = parseCsv(text);
  const errors: CsvError[] = [...parsed.errors];
  const bad = new Set(errors.map((e) => e.line));
  const fail = (line: number, message: string) => {
    if (!bad.has(line)) errors.push({ line, message });
    bad.add(line);
  };
  const [header, ...records] = parsed.records;
  if (!header) return { empty: true, noRows: true, lines: [], errors: [{ line: 1, message: 'the file is empty' }] };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const index = Object.fromEntries(PAYOUT_IMPORT_HEADER.map((name) => [name, columns.indexOf(name)]));
  const missing = PAYOUT_IMPORT_HEADER.filter((name) => index[name] < 0);
  if (missing.length) fail(header.line, `the header lacks ${missing.join(', ')} (expected ${PAYOUT_IMPORT_HEADER.join(',')})`);

  const lines: PayoutImportLine[] = [];
  const seen = new Map<string, number>();
  if (!missing.length) {
    for (const record of records) {
      if (bad.has(record.line)) continue;
      if (record.fields.length !== columns.length) {
        fail(record.line, `expected ${columns.length} fields, found ${record.fields.length}`);
        continue;
      }
      const get = (name: string) => record.fields[index[name]].trim();
      const id = get('payout_id');
      const status = get('status').toLowerCase();
      const paidAtText = get('paid_at');
      const reference = get('reference');
      const problems: string[] = [];
      if (!id) problems.push('payout_id is empty');
      else if (seen.has(id)) problems.push(`payout ${id} is already on line ${seen.get(id)}`);
      if (status !== 'paid' && status !== 'failed') problems.push(`status must be paid or failed, got "${get('status')}"`);
      let paidAt: Date | null = null;
      if (paidAtText) {
        paidAt = ISO_DATE.test(paidAtText) ? new Date(paidAtText) : null;
        if (!paidAt || Number.isNaN(paidAt.getTime())) problems.push(`paid_at must be an ISO 8601 date, got "${paidAtText}"`);
      } else if (status === 'paid') problems.push('paid_at is required when status is paid');
      if (status === 'paid' && !reference) problems.push('reference is required when status is paid');
      if (reference.length > 200) problems.push('reference is longer than 200 characters');
      if (problems.length) {
        fail(record.line, problems.join('; '));
        continue;
      }
      seen.set(id, record.line);
      lines.push({ line: record.line, id, status: status as PayoutImportLine['status'], paidAt: status === 'paid' ? paidAt : null, reference: reference || null });
    }
  }
  return { empty: false, noRows: records.length === 0, lines, errors };
}
