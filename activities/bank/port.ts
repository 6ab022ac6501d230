/**
 * Stark Bank behind a port. Adapters: `starkbank.ts` (the official SDK) and `sandbox.ts`
 * (PostgreSQL-backed simulator that pays some invoices and posts itself signed webhooks).
 * Amounts are integer centavos (BRL).
 */
export interface InvoiceRequest {
  amount: number;
  name: string;
  taxId: string;
  due: string;
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
}

export interface BankEvent {
  id: string;
  subscription: string;
  created: string;
  log: { type: string; invoice?: { id: string; amount: number; fee: number; status: string; tags: string[] } } & Record<string, unknown>;
}

export interface BankProvider {
  readonly provider: 'sandbox' | 'starkbank';
  createInvoices(invoices: InvoiceRequest[]): Promise<BankInvoice[]>;
  findInvoicesByTag(tag: string): Promise<BankInvoice[]>;
  createTransfers(transfers: TransferRequest[]): Promise<BankTransfer[]>;
  findTransfersByExternalIds(externalIds: string[]): Promise<BankTransfer[]>;
  /** Verifies the `Digital-Signature` and parses the webhook body; throws BankSignatureError when it does not verify. */
  parseEvent(body: string, signature: string | undefined): Promise<BankEvent>;
}

export class BankSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankSignatureError';
  }
}
