import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

/**
 * Film purchases. A film is owned at most once at a time: the unique index `purchases_owned`
 * covers pending and active purchases, so a second purchase fails with a unique violation.
 */
export type PurchaseStatus = 'pending' | 'active' | 'expired' | 'failed' | 'refunded';

export interface PurchaseRow {
  id: string;
  account_id: string;
  product_id: string;
  status: PurchaseStatus;
  amount: number;
  currency: string;
  access_days: number | null;
  payment_id: string | null;
  access_granted_at: Date | null;
  access_expires_at: Date | null;
  failure_code: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A purchase with the name of its film (listings). */
export type PurchaseWithProduct = PurchaseRow & { product_name: string };

/** An access that has run out but whose workflow has not ended it yet no longer counts as owned. */
export async function expireRunOutAccess(db: Db, accountId: string, productId: string): Promise<void> {
  await db('purchases').where({ account_id: accountId, product_id: productId, status: 'active' }).andWhere('access_expires_at', '<=', db.fn.now()).update({ status: 'expired', updated_at: db.fn.now() });
}

/** Inserts a pending purchase; throws a unique violation when the film is already owned. */
export async function insertPurchase(db: Db, purchase: { id: string; accountId: string; productId: string; amount: number; currency: string; accessDays: number | null }): Promise<void> {
  await db('purchases').insert({ id: purchase.id, account_id: purchase.accountId, product_id: purchase.productId, status: 'pending', amount: purchase.amount, currency: purchase.currency, access_days: purchase.accessDays });
}

/** Removes a purchase whose workflow could not be started. */
export async function deletePurchase(db: Db, id: string): Promise<void> {
  await db('purchases').where({ id }).delete();
}

export async function findPurchase(db: Db, id: string): Promise<PurchaseRow | undefined> {
  return db<PurchaseRow>('purchases').where({ id }).first();
}

/** An account's purchases, newest first, with the film's name. */
export async function listPurchases(db: Db, accountId: string, page: { limit: number; cursor?: string }) {
  const query = db('purchases as u').join('products as p', 'p.id', 'u.product_id').select('u.*', 'p.name as product_name').where('u.account_id', accountId);
  return newestFirstPage<PurchaseWithProduct>(query, page, 'u.');
}

export interface LibraryRow {
  id: string;
  created_at: Date;
  product_id: string;
  access_expires_at: Date | null;
  name: string;
  description: string | null;
}

/** The films an account may watch now (active, access not run out), most recently bought first. */
export async function listLibrary(db: Db, accountId: string, page: { limit: number; cursor?: string }) {
  const query = db('purchases as u')
    .join('products as p', 'p.id', 'u.product_id')
    .select('u.id', 'u.created_at', 'u.product_id', 'u.access_expires_at', 'p.name', 'p.description')
    .where({ 'u.account_id': accountId, 'u.status': 'active' })
    .andWhere((q) => q.whereNull('u.access_expires_at').orWhere('u.access_expires_at', '>', db.fn.now()));
  return newestFirstPage<LibraryRow>(query, page, 'u.');
}

export async function setPurchasePayment(db: Db, purchaseId: string, paymentId: string): Promise<void> {
  await db('purchases').where({ id: purchaseId }).update({ payment_id: paymentId, updated_at: db.fn.now() });
}

/** Grants access; only a pending purchase becomes active (a refund may have ended it already). */
export async function activatePurchase(db: Db, purchaseId: string, grantedAt: Date, expiresAt: Date | null): Promise<void> {
  await db('purchases').where({ id: purchaseId, status: 'pending' }).update({ status: 'active', access_granted_at: grantedAt, access_expires_at: expiresAt, updated_at: db.fn.now() });
}

/** Ends a pending or active purchase (`expired` at the end of its access, `failed` on a decline). */
export async function endPurchase(db: Db, purchaseId: string, status: 'expired' | 'failed', failureCode: string | null): Promise<void> {
  await db('purchases').where({ id: purchaseId }).whereIn('status', ['pending', 'active']).update({ status, failure_code: failureCode, updated_at: db.fn.now() });
}

/** A film refunded in full is no longer owned: it leaves the library and may be bought again. */
export async function markPurchaseRefunded(db: Db, paymentId: string): Promise<void> {
  await db('purchases').where({ payment_id: paymentId }).whereIn('status', ['pending', 'active']).update({ status: 'refunded', updated_at: db.fn.now() });
}
