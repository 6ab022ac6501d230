import { z } from 'zod';
import { duration, int, optionalString } from './env';

const optionalBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1' || v === 'yes'));

/**
 * Variables of the starkbank capability: which adapter talks to Stark Bank, the invoice schedule,
 * the transfer batcher and where credited money goes.
 */
export const starkbankSchema = z.object({
  /** `starkbank` (official SDK) or `sandbox` (simulator in PostgreSQL). Default: starkbank when credentials are set. */
  STARKBANK_PROVIDER: z
    .enum(['starkbank', 'sandbox', ''])
    .optional()
    .transform((v) => (v ? v : undefined)),
  STARKBANK_ENVIRONMENT: z.enum(['sandbox', 'production']).default('sandbox'),
  /** `project` or `organization` user. */
  STARKBANK_USER_TYPE: z.enum(['project', 'organization']).default('project'),
  STARKBANK_USER_ID: optionalString,
  /** Organization users may act on one workspace. */
  STARKBANK_WORKSPACE_ID: optionalString,
  /** The user's secp256k1 private key as PEM text … */
  STARKBANK_PRIVATE_KEY: optionalString,
  /** … or a path to the PEM file. */
  STARKBANK_PRIVATE_KEY_FILE: optionalString,
  /** Bound on every SDK call (the SDK sets none). */
  STARKBANK_TIMEOUT: duration('15s'),
  /**
   * Tests and local fakes only: `host:port` that every SDK connection goes to instead of
   * api.starkbank.com (TLS still verified, against STARKBANK_API_CA), see test/starkbank/README.md.
   */
  STARKBANK_API_REDIRECT: optionalString,
  /** PEM text or file of the CA that signs the redirected server's certificate. */
  STARKBANK_API_CA: optionalString,

  /** The invoice schedule. Enabled by default, except when NODE_ENV=test. */
  STARKBANK_SCHEDULE_ENABLED: optionalBool,
  STARKBANK_SCHEDULE_ID: z.string().default('starkbank-invoices'),
  STARKBANK_INVOICE_INTERVAL: duration('3h'),
  STARKBANK_INVOICE_WINDOW: duration('24h'),
  STARKBANK_INVOICES_MIN: int(8),
  STARKBANK_INVOICES_MAX: int(12),

  /** The transfer batcher: one batch at this many pending credits … */
  STARKBANK_BATCH_SIZE: int(15),
  /** … or this long after the oldest pending one. */
  STARKBANK_BATCH_WINDOW: duration('1h'),
  STARKBANK_BATCHER_ID: z.string().default('transferBatcher'),

  /** Where credited money goes (defaults: the challenge's account). */
  STARKBANK_TRANSFER_BANK_CODE: z.string().default('20018183'),
  STARKBANK_TRANSFER_BRANCH: z.string().default('0001'),
  STARKBANK_TRANSFER_ACCOUNT: z.string().default('6341320293482496'),
  STARKBANK_TRANSFER_NAME: z.string().default('Stark Bank S.A.'),
  STARKBANK_TRANSFER_TAX_ID: z.string().default('20.018.183/0001-80'),
  STARKBANK_TRANSFER_ACCOUNT_TYPE: z.enum(['checking', 'savings', 'salary', 'payment']).default('payment'),

  /** Sandbox adapter: share (0–1) of invoices paid by simulated payers, and after how long. */
  STARKBANK_SANDBOX_PAID_SHARE: z.coerce.number().min(0).max(1).default(0.6),
  STARKBANK_SANDBOX_PAY_DELAY: duration('2m'),
  /** Where the sandbox posts its webhook events; default PUBLIC_BASE_URL or http://HOST:PORT, + /webhooks/starkbank. */
  STARKBANK_SANDBOX_WEBHOOK_URL: optionalString,
});

export type StarkbankConfig = z.infer<typeof starkbankSchema>;
