import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CoreDeps } from '../../platform/deps';
import { countInvoices, countTransfers } from '../../platform/metrics/business';
import type { BankTransfer, TransferRequest } from '../../providers/bank/port';
import { insertInvoices } from '../../stores/starkbank/invoices';
import { findTransfers, insertTransfers } from '../../stores/starkbank/transfers';
import { generateInvoices } from './payers';

/** One credited invoice waiting in the batcher. */
export interface CreditItem {
  invoiceId: string;
  /** Invoice amount minus its fee, centavos. */
  amount: number;
  eventId: string;
}

export interface IssueResult {
  runTag: string;
  count: number;
  invoiceIds: string[];
  /** True when a retried attempt found the run's invoices already issued. */
  reused: boolean;
}

export interface SendResult {
  batchId: string;
  sent: { externalId: string; id: string; amount: number }[];
  /** Already sent by an earlier batch (a replayed credit). */
  skipped: string[];
  failed: { externalId: string; message: string }[];
}

/** Tags are lowercased by Stark Bank: keep ours lowercase. */
export const runTag = (runId: string) => `run-${runId}`.toLowerCase();
export const batchTag = (batchId: string) => `batch-${batchId}`.toLowerCase();
/** Stark Bank refuses a second transfer with the same externalId: one transfer per invoice, ever. */
export const transferExternalId = (invoiceId: string) => `invoice-${invoiceId}`;

/** Activities of the starkbank capability. Names are unique across the platform (they share one worker). */
export function createStarkbankActivities(deps: CoreDeps) {
  const { db, config, ports } = deps;

  return {
    /**
     * Issues one schedule run's invoices in a single `invoice.create`, tagged with the run id.
     * A retried attempt first looks for invoices with that tag: a run is never issued twice.
     */
    async starkbankIssueInvoices(input: { workflowId: string; runId: string }): Promise<IssueResult> {
      const tag = runTag(input.runId);
      const existing = await ports.bank.findInvoicesByTag(tag);
      if (existing.length) {
        countInvoices(deps, 'issued', await insertInvoices(db, existing, { provider: ports.bank.provider, ...input }), { runId: input.runId });
        return { runTag: tag, count: existing.length, invoiceIds: existing.map((i) => i.id), reused: true };
      }
      const requests = generateInvoices({ min: config.STARKBANK_INVOICES_MIN, max: config.STARKBANK_INVOICES_MAX, tags: [tag] });
      const created = await ports.bank.createInvoices(requests);
      countInvoices(deps, 'issued', await insertInvoices(db, created, { provider: ports.bank.provider, ...input }), { runId: input.runId });
      return { runTag: tag, count: created.length, invoiceIds: created.map((i) => i.id), reused: false };
    },

    /**
     * Sends one `transfer.create` batch for credited invoices. Idempotent: items already sent by an
     * earlier batch are skipped (our records), and a retried attempt first finds what this batch
     * already created at the bank (by the batch tag) and sends only the rest.
     */
    async starkbankSendTransfers(input: { batchId: string; items: CreditItem[] }): Promise<SendResult> {
      const tag = batchTag(input.batchId);
      const byExternalId = new Map(input.items.map((i) => [transferExternalId(i.invoiceId), i]));
      const result: SendResult = { batchId: input.batchId, sent: [], skipped: [], failed: [] };

      const recorded = await findTransfers(db, [...byExternalId.keys()]);
      for (const row of recorded) {
        byExternalId.delete(row.externalId);
        if (row.batchId === input.batchId && row.id) result.sent.push({ externalId: row.externalId, id: row.id, amount: row.amount });
        else result.skipped.push(row.externalId);
      }

      if (byExternalId.size && Context.current().info.attempt > 1) {
        const found = (await ports.bank.findTransfersByTag(tag)).filter((t) => byExternalId.has(t.externalId));
        countTransfers(deps, 'sent', await insertTransfers(db, found.map((t) => ({ ...t, invoiceId: byExternalId.get(t.externalId)!.invoiceId })), input.batchId), { batchId: input.batchId });
        for (const t of found) {
          byExternalId.delete(t.externalId);
          result.sent.push({ externalId: t.externalId, id: t.id, amount: t.amount });
        }
      }
      if (!byExternalId.size) return result;

      const destination = {
        bankCode: config.STARKBANK_TRANSFER_BANK_CODE,
        branchCode: config.STARKBANK_TRANSFER_BRANCH,
        accountNumber: config.STARKBANK_TRANSFER_ACCOUNT,
        name: config.STARKBANK_TRANSFER_NAME,
        taxId: config.STARKBANK_TRANSFER_TAX_ID,
        accountType: config.STARKBANK_TRANSFER_ACCOUNT_TYPE,
      };
      const requests: TransferRequest[] = [...byExternalId.entries()].map(([externalId, item]) => ({ ...destination, amount: item.amount, externalId, tags: [tag, `invoice-${item.invoiceId}`.toLowerCase()] }));
      let created: BankTransfer[];
      try {
        created = await ports.bank.createTransfers(requests);
      } catch (error) {
        if (error instanceof ApplicationFailure && error.nonRetryable) {
          // Refused for good (bad destination, duplicate externalId): recorded as failed, never retried blindly.
          const refused = await insertTransfers(db, requests.map((r) => ({ ...r, id: '', status: 'failed', fee: 0, invoiceId: byExternalId.get(r.externalId)!.invoiceId })), input.batchId, error.message);
          result.failed.push(...requests.map((r) => ({ externalId: r.externalId, message: error.message })));
          deps.logger.error({ batchId: input.batchId, err: error }, 'starkbank transfer batch refused');
          countTransfers(deps, 'failed', refused, { batchId: input.batchId });
          if (refused.length) {
            deps.ports.alerts.raise({
              key: `starkbank/transfer-batch-refused/${input.batchId}`,
              kind: 'starkbank.transfer_batch_refused',
              severity: 'critical',
              subject: `Stark Bank refused transfer batch ${input.batchId} (${refused.length} transfers)`,
              aggregateId: input.batchId,
              detail: { message: error.message, transfers: refused.length, amount: refused.reduce((sum, t) => sum + t.amount, 0) },
            });
          }
          return result;
        }
        throw error;
      }
      countTransfers(deps, 'sent', await insertTransfers(db, created.map((t) => ({ ...t, invoiceId: byExternalId.get(t.externalId)?.invoiceId ?? t.externalId.replace(/^invoice-/, '') })), input.batchId), { batchId: input.batchId });
      result.sent.push(...created.map((t) => ({ externalId: t.externalId, id: t.id, amount: t.amount })));
      return result;
    },
  };
}

export type StarkbankActivities = ReturnType<typeof createStarkbankActivities>;
