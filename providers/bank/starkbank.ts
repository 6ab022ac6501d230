import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import starkbank from 'starkbank';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import { readPem, redirectingAgent } from './agent';
import {
  BankEventFormatError,
  BankSignatureError,
  toBankEvent,
  type BankEvent,
  type BankInvoice,
  type BankProvider,
  type BankTransfer,
  type InvoiceRequest,
  type TransferRequest,
} from './port';

type SdkUser = starkbank.Project | starkbank.Organization;
type Loose = Record<string, unknown>;

/** Stark Bank through its official SDK (Project or Organization user). */
export class StarkbankBank implements BankProvider {
  readonly provider = 'starkbank' as const;
  private readonly user: SdkUser;
  private readonly timeoutMs: number;

  constructor(config: Config, private readonly logger: Logger) {
    const id = config.STARKBANK_USER_ID;
    const pemSource = config.STARKBANK_PRIVATE_KEY ?? config.STARKBANK_PRIVATE_KEY_FILE;
    if (!id || !pemSource) throw new Error('the starkbank adapter needs STARKBANK_USER_ID and STARKBANK_PRIVATE_KEY (or STARKBANK_PRIVATE_KEY_FILE)');
    const privateKey = readPem(pemSource);
    const environment = config.STARKBANK_ENVIRONMENT;
    this.user =
      config.STARKBANK_USER_TYPE === 'organization'
        ? new starkbank.Organization({ id, privateKey, environment, workspaceId: config.STARKBANK_WORKSPACE_ID })
        : new starkbank.Project({ id, privateKey, environment });
    this.timeoutMs = config.STARKBANK_TIMEOUT;
    if (config.STARKBANK_API_REDIRECT) {
      // The SDK is process-global about its agent: every Stark Bank call of this process goes there.
      starkbank.setHttpsAgent(redirectingAgent(config.STARKBANK_API_REDIRECT, config.STARKBANK_API_CA ? readPem(config.STARKBANK_API_CA) : undefined));
    }
  }

  async createInvoices(invoices: InvoiceRequest[]): Promise<BankInvoice[]> {
    const created = await this.call('invoice.create', () =>
      starkbank.invoice.create(invoices.map((i) => new starkbank.Invoice({ amount: i.amount, name: i.name, taxId: i.taxId, due: i.due, expiration: i.expiration, tags: i.tags })), { user: this.user }),
    );
    return (created as unknown as Loose[]).map(toInvoice);
  }

  async findInvoicesByTag(tag: string): Promise<BankInvoice[]> {
    return this.call('invoice.query', async () => {
      const found: BankInvoice[] = [];
      for await (const invoice of await starkbank.invoice.query({ tags: [tag], limit: 1000, user: this.user })) found.push(toInvoice(invoice as unknown as Loose));
      return found;
    });
  }

  async createTransfers(transfers: TransferRequest[]): Promise<BankTransfer[]> {
    const created = await this.call('transfer.create', () =>
      starkbank.transfer.create(
        transfers.map((t) => new starkbank.Transfer({ ...t })),
        { user: this.user },
      ),
    );
    return (created as unknown as Loose[]).map(toTransfer);
  }

  async findTransfersByTag(tag: string): Promise<BankTransfer[]> {
    return this.call('transfer.query', async () => {
      const found: BankTransfer[] = [];
      for await (const transfer of await starkbank.transfer.query({ tags: [tag], limit: 1000, user: this.user })) found.push(toTransfer(transfer as unknown as Loose));
      return found;
    });
  }

  async parseEvent(body: string, signature: string | undefined): Promise<BankEvent> {
    if (!signature) throw new BankSignatureError('the Digital-Signature header is missing');
    const fast = this.verifyNatively(body, signature);
    if (fast) return fast;
    let event: unknown;
    try {
      // The SDK verifies the signature with Stark Bank's public key (fetched once, cached, refreshed on a mismatch).
      event = await withTimeout(starkbank.event.parse({ content: body, signature, user: this.user }), this.timeoutMs, 'event.parse');
    } catch (error) {
      const name = (error as Error)?.constructor?.name;
      if (name === 'InvalidSignatureError') throw new BankSignatureError((error as Error).message);
      const e = error as { isAxiosError?: boolean; status?: number; response?: unknown };
      // Reaching Stark Bank for its public key failed: not the sender's fault (503, they retry).
      if (e?.isAxiosError || e?.response || typeof e?.status === 'number' || error instanceof StarkbankTimeoutError) throw error;
      throw new BankEventFormatError(`the body is not a Stark Bank event: ${(error as Error)?.message ?? String(error)}`);
    }
    this.rememberSdkKey();
    return toBankEvent(event);
  }

  /**
   * The SDK's ECDSA is pure JavaScript (≈3 ms per verification); once the SDK has fetched and cached
   * Stark Bank's public key, the same check (ECDSA secp256k1 / SHA-256 over the raw body, DER
   * signature) runs natively with that very key. Only a success short-cuts: anything that does not
   * verify goes through event.parse, which refreshes the key and decides.
   */
  private verifyNatively(body: string, signature: string): BankEvent | undefined {
    const sdkKey = (starkbank as unknown as { cache: Record<string, { toPem(): string } | undefined> }).cache['starkbank-public-key'];
    if (!sdkKey) return undefined;
    if (sdkKey !== this.nativeKey?.sdkKey) this.rememberSdkKey();
    if (!this.nativeKey) return undefined;
    try {
      if (!verify('sha256', Buffer.from(body), this.nativeKey.key, Buffer.from(signature, 'base64'))) return undefined;
      return toBankEvent((JSON.parse(body) as { event?: unknown })?.event);
    } catch {
      return undefined;
    }
  }

  private nativeKey?: { sdkKey: unknown; key: KeyObject };

  private rememberSdkKey(): void {
    const sdkKey = (starkbank as unknown as { cache: Record<string, { toPem(): string } | undefined> }).cache['starkbank-public-key'];
    try {
      this.nativeKey = sdkKey ? { sdkKey, key: createPublicKey(sdkKey.toPem()) } : undefined;
    } catch {
      this.nativeKey = undefined;
    }
  }

  /** Every SDK call is bounded (the SDK sets no timeout) and its errors become retryable or not. */
  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(fn(), this.timeoutMs, operation);
    } catch (error) {
      throw toFailure(operation, error, this.logger);
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, operation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StarkbankTimeoutError(`Stark Bank ${operation} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class StarkbankTimeoutError extends Error {
  override name = 'StarkbankTimeoutError';
}

const RETRYABLE_STATUS = new Set([408, 409, 423, 425, 429, 500, 502, 503, 504]);

/** SDK/axios errors → ApplicationFailure: input errors and auth are final; timeouts, 5xx, 429 and network errors retry. */
export function toFailure(operation: string, error: unknown, logger?: Logger): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const e = error as { name?: string; message?: string; status?: number; errors?: { code: string; message: string }[]; response?: { status?: number; data?: unknown }; code?: string };
  const kind = (error as Error)?.constructor?.name ?? e?.name ?? 'Error';
  const status = e?.status ?? e?.response?.status;
  let nonRetryable = false;
  let type = 'StarkbankUnavailable';
  if (kind === 'InputErrors' || (status !== undefined && status >= 400 && status < 500 && !RETRYABLE_STATUS.has(status))) {
    nonRetryable = true;
    type = kind === 'InputErrors' ? 'StarkbankInputError' : 'StarkbankRejected';
  } else if (error instanceof StarkbankTimeoutError) {
    type = 'StarkbankTimeout';
  }
  const details = e?.errors?.map((x) => ({ code: x.code, message: x.message })) ?? [];
  const message = `Stark Bank ${operation} failed${status ? ` (${status})` : ''}: ${details.length ? details.map((d) => `${d.code}: ${d.message}`).join('; ') : e?.message ?? String(error)}`;
  logger?.warn({ operation, status, nonRetryable, code: e?.code }, message);
  return ApplicationFailure.create({ type, message, nonRetryable, details: [{ status: status ?? null, errors: details }] });
}

function toInvoice(i: Loose): BankInvoice {
  return {
    id: String(i.id),
    amount: Number(i.amount),
    fee: Number(i.fee ?? 0),
    status: String(i.status ?? 'created'),
    name: String(i.name ?? ''),
    taxId: String(i.taxId ?? ''),
    due: i.due instanceof Date ? i.due.toISOString() : String(i.due ?? ''),
    expiration: Number(i.expiration ?? 0),
    tags: Array.isArray(i.tags) ? i.tags.map(String) : [],
  };
}

function toTransfer(t: Loose): BankTransfer {
  return {
    id: String(t.id),
    amount: Number(t.amount),
    fee: Number(t.fee ?? 0),
    status: String(t.status ?? 'created'),
    externalId: String(t.externalId ?? ''),
    name: String(t.name ?? ''),
    taxId: String(t.taxId ?? ''),
    bankCode: String(t.bankCode ?? ''),
    branchCode: String(t.branchCode ?? ''),
    accountNumber: String(t.accountNumber ?? ''),
    accountType: String(t.accountType ?? ''),
    tags: Array.isArray(t.tags) ? t.tags.map(String) : [],
  };
}
