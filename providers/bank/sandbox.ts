import { createPrivateKey, createPublicKey, generateKeyPairSync, randomInt, sign, verify, type KeyObject } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../../platform/config';
import { isUniqueViolation, type Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import { BankEventFormatError, BankSignatureError, toBankEvent, type BankEvent, type BankInvoice, type BankProvider, type BankTransfer, type InvoiceRequest, type TransferRequest } from './port';

/** Stark Bank-style numeric ids (16 digits). */
export function bankId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

/** The sandbox's invoice fee once paid (centavos), like Stark Bank's per-invoice fee. */
export const SANDBOX_INVOICE_FEE = 25;

interface InvoiceRow {
  id: string;
  amount: number;
  fee: number;
  status: string;
  name: string;
  tax_id: string;
  due: Date;
  expiration: number;
  tags: string[];
  event_id: string | null;
}

interface TransferRow {
  id: string;
  external_id: string;
  amount: number;
  fee: number;
  status: string;
  name: string;
  tax_id: string;
  bank_code: string;
  branch_code: string;
  account_number: string;
  account_type: string;
  tags: string[];
}

/**
 * A Stark Bank simulator in PostgreSQL: invoices and transfers live in `starkbank_sandbox_*`;
 * a share of the invoices is "paid" by a simulated payer after a delay, and the sandbox then
 * posts `paid` and `credited` events, signed (ECDSA secp256k1, like Stark Bank) with its own key,
 * to our webhook. The key pair lives in the database so that API and worker processes agree on it.
 */
export class SandboxBank implements BankProvider {
  readonly provider = 'sandbox' as const;
  private keys?: Promise<{ privateKey: KeyObject; publicKey: KeyObject }>;
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  webhookUrl(): string {
    if (this.config.STARKBANK_SANDBOX_WEBHOOK_URL) return this.config.STARKBANK_SANDBOX_WEBHOOK_URL;
    const host = this.config.HOST === '0.0.0.0' || this.config.HOST === '::' ? '127.0.0.1' : this.config.HOST;
    const base = this.config.PUBLIC_BASE_URL ?? `http://${host}:${this.config.PORT}`;
    return `${base.replace(/\/$/, '')}/webhooks/starkbank`;
  }

  async createInvoices(invoices: InvoiceRequest[]): Promise<BankInvoice[]> {
    const now = Date.now();
    const rows = invoices.map((i) => ({
      id: bankId(),
      amount: i.amount,
      fee: 0,
      status: 'created',
      name: i.name,
      tax_id: i.taxId,
      due: new Date(i.due),
      expiration: i.expiration,
      tags: i.tags.map((t) => t.toLowerCase()),
      pay_at: Math.random() < this.config.STARKBANK_SANDBOX_PAID_SHARE ? new Date(now + this.config.STARKBANK_SANDBOX_PAY_DELAY * (0.5 + Math.random())) : null,
    }));
    const inserted = (await this.db('starkbank_sandbox_invoices').insert(rows).returning('*')) as InvoiceRow[];
    return inserted.map(toInvoice);
  }

  async findInvoicesByTag(tag: string): Promise<BankInvoice[]> {
    const rows = (await this.db('starkbank_sandbox_invoices').whereRaw('? = any(tags)', [tag.toLowerCase()]).orderBy('id')) as InvoiceRow[];
    return rows.map(toInvoice);
  }

  async createTransfers(transfers: TransferRequest[]): Promise<BankTransfer[]> {
    const rows = transfers.map((t) => ({
      id: bankId(),
      external_id: t.externalId,
      amount: t.amount,
      fee: 0,
      status: 'created',
      name: t.name,
      tax_id: t.taxId,
      bank_code: t.bankCode,
      branch_code: t.branchCode,
      account_number: t.accountNumber,
      account_type: t.accountType,
      tags: t.tags.map((x) => x.toLowerCase()),
    }));
    try {
      // Like Stark Bank: the batch is accepted whole or refused whole.
      const inserted = (await this.db('starkbank_sandbox_transfers').insert(rows).returning('*')) as TransferRow[];
      return inserted.map(toTransfer);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw ApplicationFailure.create({ type: 'StarkbankInputError', nonRetryable: true, message: 'Stark Bank (sandbox) transfer.create failed (400): invalidExternalId: an externalId was already used', details: [{ status: 400, errors: [{ code: 'invalidExternalId', message: 'externalId already used' }] }] });
      }
      throw error;
    }
  }

  async findTransfersByTag(tag: string): Promise<BankTransfer[]> {
    const rows = (await this.db('starkbank_sandbox_transfers').whereRaw('? = any(tags)', [tag.toLowerCase()]).orderBy('id')) as TransferRow[];
    return rows.map(toTransfer);
  }

  async parseEvent(body: string, signature: string | undefined): Promise<BankEvent> {
    if (!signature) throw new BankSignatureError('the Digital-Signature header is missing');
    const { publicKey } = await this.keyPair();
    let ok = false;
    try {
      ok = verify('sha256', Buffer.from(body), publicKey, Buffer.from(signature, 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) throw new BankSignatureError('the Digital-Signature does not match the sandbox public key');
    let parsed: { event?: unknown };
    try {
      parsed = JSON.parse(body) as { event?: unknown };
    } catch (error) {
      throw new BankEventFormatError(`the body is not JSON: ${(error as Error).message}`);
    }
    return toBankEvent(parsed?.event);
  }

  /** Signs a body as the sandbox "Stark Bank" does (DER ECDSA secp256k1 over SHA-256, base64). */
  async signBody(body: string): Promise<string> {
    const { privateKey } = await this.keyPair();
    return sign('sha256', Buffer.from(body), privateKey).toString('base64');
  }

  start(): void {
    if (this.timer) return;
    const every = Math.max(250, Math.min(5_000, Math.floor(this.config.STARKBANK_SANDBOX_PAY_DELAY / 4)));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
    this.logger.info({ webhook: this.webhookUrl(), paidShare: this.config.STARKBANK_SANDBOX_PAID_SHARE }, 'starkbank sandbox: simulated payers started');
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass: pay the invoices whose payer is due, then deliver undelivered events. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.db('starkbank_sandbox_invoices')
        .where({ status: 'created' })
        .whereNotNull('pay_at')
        .where('pay_at', '<=', new Date())
        .update({ status: 'paid', fee: SANDBOX_INVOICE_FEE, paid_at: this.db.fn.now(), event_id: this.db.raw(`(floor(random() * 9e15) + 1e15)::bigint::text`) });
      const undelivered = (await this.db('starkbank_sandbox_invoices').where({ status: 'paid' }).whereNull('delivered_at').orderBy('paid_at').limit(100)) as InvoiceRow[];
      for (const row of undelivered) {
        const ok = await this.deliver(row);
        if (ok) await this.db('starkbank_sandbox_invoices').where({ id: row.id }).update({ delivered_at: this.db.fn.now() });
        else break;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'starkbank sandbox: tick failed');
    } finally {
      this.ticking = false;
    }
  }

  private async deliver(row: InvoiceRow): Promise<boolean> {
    const invoice = { ...toInvoice(row), status: 'paid' };
    for (const type of ['paid', 'credited']) {
      const event = { event: { id: `${row.event_id}${type === 'paid' ? '1' : '2'}`, subscription: 'invoice', created: new Date().toISOString(), workspaceId: 'sandbox', log: { id: `${row.event_id}${type === 'paid' ? '3' : '4'}`, type, created: new Date().toISOString(), errors: [], invoice } } };
      const body = JSON.stringify(event);
      try {
        const res = await fetch(this.webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'digital-signature': await this.signBody(body) }, body, signal: AbortSignal.timeout(10_000) });
        if (res.status >= 300) {
          this.logger.warn({ status: res.status, invoice: row.id }, 'starkbank sandbox: webhook refused');
          return false;
        }
      } catch (error) {
        this.logger.debug({ err: error, url: this.webhookUrl() }, 'starkbank sandbox: webhook not reachable yet');
        return false;
      }
    }
    return true;
  }

  private keyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
    this.keys ??= (async () => {
      let row = await this.db('starkbank_sandbox_keys').where({ id: 'default' }).first();
      if (!row) {
        const pair = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
        const pem = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
        await this.db('starkbank_sandbox_keys').insert({ id: 'default', private_key_pem: pem }).onConflict('id').ignore();
        row = await this.db('starkbank_sandbox_keys').where({ id: 'default' }).first();
      }
      const privateKey = createPrivateKey(row.private_key_pem as string);
      return { privateKey, publicKey: createPublicKey(privateKey) };
    })().catch((error) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }
}

function toInvoice(r: InvoiceRow): BankInvoice {
  return { id: r.id, amount: Number(r.amount), fee: Number(r.fee), status: r.status, name: r.name, taxId: r.tax_id, due: new Date(r.due).toISOString(), expiration: r.expiration, tags: r.tags };
}

function toTransfer(r: TransferRow): BankTransfer {
  return {
    id: r.id,
    externalId: r.external_id,
    amount: Number(r.amount),
    fee: Number(r.fee),
    status: r.status,
    name: r.name,
    taxId: r.tax_id,
    bankCode: r.bank_code,
    branchCode: r.branch_code,
    accountNumber: r.account_number,
    accountType: r.account_type,
    tags: r.tags,
  };
}
