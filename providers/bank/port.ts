/**
 * Stark Bank behind a port. Adapters: `starkbank.ts` (the official SDK) and `sandbox.ts`
 * (PostgreSQL-backed simulator that pays some invoices and posts itself signed webhooks).
 * Amounts are integer centavos (BRL).
 */
export interface InvoiceRequest {
  amount: number;
  name: string;
  taxId: string;
  /** ISO 8601 datetime. */
  due: string;
  /** Seconds after `due` until the invoice expires. */
  expiration: number;
  tags: string[];
}

export interface BankInvoice extends InvoiceRequest {
  id: string;
  status: string;
  fee: number;
}

export interface TransferRequest {
  amount: number;
  externalId: string;
  name: string;
  taxId: string;
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  accountType: string;
  tags: string[];
}

export interface BankTransfer extends TransferRequest {
  id: string;
  status: string;
  fee: number;
}

export interface BankInvoiceLog {
  id?: string;
  type: string;
  invoice?: { id: string; amount: number; fee: number; status: string; tags: string[] };
  [key: string]: unknown;
}

export interface BankEvent {
  id: string;
  subscription: string;
  created: string;
  log: BankInvoiceLog;
}

export interface BankProvider {
  readonly provider: 'sandbox' | 'starkbank';
  /** One `invoice.create` call for all of them. */
  createInvoices(invoices: InvoiceRequest[]): Promise<BankInvoice[]>;
  findInvoicesByTag(tag: string): Promise<BankInvoice[]>;
  /** One `transfer.create` call for all of them. */
  createTransfers(transfers: TransferRequest[]): Promise<BankTransfer[]>;
  findTransfersByTag(tag: string): Promise<BankTransfer[]>;
  /**
   * Verifies the `Digital-Signature` and parses the webhook body; throws BankSignatureError when
   * it does not verify and BankEventFormatError when the body is not an event.
   */
  parseEvent(body: string, signature: string | undefined): Promise<BankEvent>;
  /** Background work of a simulator (the sandbox pays invoices); called once by the worker. */
  start?(): void;
  stop?(): void;
}

export class BankSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankSignatureError';
  }
}

export class BankEventFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankEventFormatError';
  }
}

/** Shape check shared by the adapters: what the webhook needs from an event. */
export function toBankEvent(raw: unknown): BankEvent {
  const e = raw as Partial<BankEvent> | null | undefined;
  if (!e || typeof e !== 'object') throw new BankEventFormatError('event: missing');
  if (typeof e.id !== 'string' || !e.id) throw new BankEventFormatError('event.id: must be a non-empty string');
  if (typeof e.subscription !== 'string') throw new BankEventFormatError('event.subscription: must be a string');
  if (!e.log || typeof e.log !== 'object' || typeof e.log.type !== 'string') throw new BankEventFormatError('event.log.type: must be a string');
  const created = e.created as unknown;
  const inv = e.log.invoice;
  if (e.subscription === 'invoice') {
    if (!inv || typeof inv !== 'object' || typeof inv.id !== 'string' || !Number.isInteger(inv.amount) || (inv.fee !== undefined && inv.fee !== null && !Number.isInteger(inv.fee))) {
      throw new BankEventFormatError('event.log.invoice: must have a string id and integer amount and fee');
    }
  }
  return {
    id: e.id,
    subscription: e.subscription,
    created: created instanceof Date ? created.toISOString() : String(created ?? ''),
    log: {
      ...e.log,
      type: e.log.type,
      ...(inv ? { invoice: { id: String(inv.id), amount: Number(inv.amount), fee: Number(inv.fee ?? 0), status: String(inv.status ?? ''), tags: Array.isArray(inv.tags) ? inv.tags.map(String) : [] } } : {}),
    },
  };
}
