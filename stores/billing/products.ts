import type { PlanInterval, PriceChange } from '../../domain/billing/plans';
import type { Money } from '../../domain/money';
import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

/**
 * The catalogue (films and plans) and each plan's price history. A price change is kept as a row
 * of its own so every subscription can work out the price of any period from its locked price.
 */
export interface ProductRow {
  id: string;
  kind: 'film' | 'plan';
  name: string;
  description: string | null;
  price_amount: number;
  currency: string;
  access_days: number | null;
  interval: PlanInterval | null;
  interval_count: number | null;
  trial_days: number | null;
  grants_role: 'premium' | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export type NewProduct =
  | { id: string; kind: 'film'; name: string; description: string | null; price: Money; accessDays: number | null }
  | { id: string; kind: 'plan'; name: string; description: string | null; price: Money; interval: PlanInterval; intervalCount: number; trialDays: number; grantsRole: 'premium' };

export async function createProduct(db: Db, product: NewProduct): Promise<ProductRow> {
  const row: Record<string, unknown> = { id: product.id, kind: product.kind, name: product.name, description: product.description, price_amount: product.price.amount, currency: product.price.currency };
  if (product.kind === 'film') row.access_days = product.accessDays;
  else Object.assign(row, { interval: product.interval, interval_count: product.intervalCount, trial_days: product.trialDays, grants_role: product.grantsRole });
  const [inserted] = (await db('products').insert(row).returning('*')) as ProductRow[];
  return inserted;
}

export async function findProduct(db: Db, id: string): Promise<ProductRow | undefined> {
  return db<ProductRow>('products').where({ id }).first();
}

/** The catalogue, newest first, optionally only films or plans and only (in)active ones. */
export async function listProducts(db: Db, filter: { kind?: 'film' | 'plan'; active?: boolean }, page: { limit: number; cursor?: string }) {
  const query = db<ProductRow>('products');
  if (filter.kind) query.where({ kind: filter.kind });
  if (filter.active !== undefined) query.where({ active: filter.active });
  return newestFirstPage<ProductRow>(query, page);
}

/** What a product change sets; absent fields stay as they are. */
export interface ProductPatch {
  name?: string;
  description?: string | null;
  active?: boolean;
  accessDays?: number | null;
  trialDays?: number;
  priceAmount?: number;
}

export interface NewPriceChange {
  id: string;
  oldAmount: number;
  amount: number;
  currency: string;
  changedAt: Date;
  subscribersFrom: Date;
}

/**
 * Changes the product and, with a price change, records it, in one transaction. `beforeCommit`
 * runs inside that transaction with the changed row (the API starts the price-change notice there,
 * so a crash after the commit cannot lose the notice and a failed commit leaves nothing to notify).
 */
export async function changeProduct(db: Db, id: string, patch: ProductPatch, priceChange?: NewPriceChange, beforeCommit?: (row: ProductRow) => Promise<void>): Promise<ProductRow> {
  const set: Record<string, unknown> = { updated_at: db.fn.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.active !== undefined) set.active = patch.active;
  if (patch.accessDays !== undefined) set.access_days = patch.accessDays;
  if (patch.trialDays !== undefined) set.trial_days = patch.trialDays;
  if (patch.priceAmount !== undefined) set.price_amount = patch.priceAmount;
  return db.transaction(async (trx) => {
    const [row] = (await trx('products').where({ id }).update(set).returning('*')) as ProductRow[];
    if (priceChange) {
      await trx('product_price_changes').insert({ id: priceChange.id, product_id: id, old_amount: priceChange.oldAmount, amount: priceChange.amount, currency: priceChange.currency, changed_at: priceChange.changedAt, subscribers_from: priceChange.subscribersFrom });
    }
    if (beforeCommit) await beforeCommit(row);
    return row;
  });
}

/** A plan's price changes, oldest first (for working out the price of a period). */
export async function priceChangesOf(db: Db, planId: string): Promise<PriceChange[]> {
  const rows: { amount: number; currency: string; changed_at: Date }[] = await db('product_price_changes').where({ product_id: planId }).orderBy('changed_at');
  return rows.map((r) => ({ price: { amount: Number(r.amount), currency: r.currency }, changedAt: r.changed_at.getTime() }));
}

export interface PriceChangeRow {
  id: string;
  product_id: string;
  old_amount: number;
  amount: number;
  currency: string;
  changed_at: Date;
  subscribers_from: Date;
}

/** One price change; undefined until its transaction has committed (or when it rolled back). */
export async function findPriceChange(db: Db, id: string): Promise<PriceChangeRow | undefined> {
  return db<PriceChangeRow>('product_price_changes').where({ id }).first();
}
