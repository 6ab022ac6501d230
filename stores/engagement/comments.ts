import type { Knex } from 'knex';
import type { Db } from '../../platform/db';
import { InvalidCursorError } from '../pagination';

/**
 * `comments`: threads as on large video sites. A top-level comment opens a thread; every reply
 * (to it or to another reply) joins that thread, and a reply to a reply names whom it answers.
 * A top-level comment with replies is deleted as `[deleted]` and keeps its thread; anything else
 * is removed. `reply_count` of a thread moves in the same transaction as its replies.
 */
export const DELETED_BODY = '[deleted]';

interface CommentRow {
  id: string;
  content_id: string;
  thread_id: string | null;
  parent_id: string | null;
  reply_to_account_id: string | null;
  author_id: string;
  body: string;
  reply_count: number;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

export interface Comment {
  id: string;
  contentId: string;
  /** The thread (top-level comment) a reply belongs to; null for a top-level comment. */
  threadId: string | null;
  parentId: string | null;
  /** The author of the reply this one answers (replies to replies). */
  replyToAccountId: string | null;
  /** Null once deleted. */
  authorId: string | null;
  body: string;
  replyCount: number;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

function toComment(row: CommentRow): Comment {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    contentId: row.content_id,
    threadId: row.thread_id,
    parentId: row.parent_id,
    replyToAccountId: row.reply_to_account_id,
    authorId: deleted ? null : row.author_id,
    body: deleted ? DELETED_BODY : row.body,
    replyCount: Number(row.reply_count),
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
    deleted,
  };
}

export class ParentCommentError extends Error {}

/** Adds a comment; a reply needs a live parent on the same content (else ParentCommentError). */
export async function insertComment(db: Db, input: { id: string; contentId: string; authorId: string; body: string; parentId?: string }): Promise<Comment> {
  return db.transaction(async (trx) => {
    let threadId: string | null = null;
    let replyTo: string | null = null;
    if (input.parentId) {
      const parent: CommentRow | undefined = await trx('comments').where({ id: input.parentId, content_id: input.contentId }).first();
      if (!parent || parent.deleted_at) throw new ParentCommentError('no such comment on this content');
      threadId = parent.thread_id ?? parent.id;
      if (parent.thread_id) replyTo = parent.author_id;
      await trx('comments').where({ id: threadId }).increment('reply_count', 1);
    }
    const [row] = await trx('comments')
      .insert({ id: input.id, content_id: input.contentId, thread_id: threadId, parent_id: input.parentId ?? null, reply_to_account_id: replyTo, author_id: input.authorId, body: input.body })
      .returning('*');
    return toComment(row);
  });
}

export async function findComment(db: Db, id: string): Promise<Comment | undefined> {
  const row: CommentRow | undefined = await db('comments').where({ id }).first();
  return row ? toComment(row) : undefined;
}

function decode(cursor: string | undefined, parts: number): unknown[] | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (Array.isArray(value) && value.length === parts && typeof value[parts - 1] === 'string' && typeof value[parts - 2] === 'string' && !Number.isNaN(Date.parse(value[parts - 2] as string))) {
      if (parts === 2 || Number.isInteger(value[0])) return value;
    }
  } catch {
    // below
  }
  throw new InvalidCursorError();
}
const encode = (value: unknown[]) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Top-level comments of a content: newest first, or top (most replies) first. */
export async function listThreads(db: Db, contentId: string, sort: 'newest' | 'top', limit: number, cursor?: string): Promise<{ items: Comment[]; nextCursor: string | null }> {
  const q = db<CommentRow>('comments').where({ content_id: contentId }).whereNull('thread_id');
  if (sort === 'newest') {
    const after = decode(cursor, 2);
    if (after) q.whereRaw('(created_at, id) < (?, ?)', after as string[]);
    q.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
  } else {
    const after = decode(cursor, 3);
    if (after) q.whereRaw('(reply_count, created_at, id) < (?, ?, ?)', after as [number, string, string]);
    q.orderBy([{ column: 'reply_count', order: 'desc' }, { column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
  }
  const rows = (await q.limit(limit + 1)) as CommentRow[];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next = rows.length > limit && last ? encode(sort === 'newest' ? [last.created_at.toISOString(), last.id] : [Number(last.reply_count), last.created_at.toISOString(), last.id]) : null;
  return { items: items.map(toComment), nextCursor: next };
}

/** A thread's replies, oldest first (reading order). */
export async function listReplies(db: Db, threadId: string, limit: number, cursor?: string): Promise<{ items: Comment[]; nextCursor: string | null }> {
  const q = db<CommentRow>('comments').where({ thread_id: threadId });
  const after = decode(cursor, 2);
  if (after) q.whereRaw('(created_at, id) > (?, ?)', after as string[]);
  const rows = (await q.orderBy([{ column: 'created_at', order: 'asc' }, { column: 'id', order: 'asc' }]).limit(limit + 1)) as CommentRow[];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(toComment), nextCursor: rows.length > limit && last ? encode([last.created_at.toISOString(), last.id]) : null };
}

/** The author edits the body; undefined when the comment is gone or deleted. */
export async function editComment(db: Db, id: string, body: string): Promise<Comment | undefined> {
  const [row] = await db('comments').where({ id }).whereNull('deleted_at').update({ body, edited_at: db.fn.now() }).returning('*');
  return row ? toComment(row as CommentRow) : undefined;
}

async function removeRow(trx: Knex.Transaction, row: CommentRow): Promise<void> {
  await trx('comments').where({ id: row.id }).delete();
  if (!row.thread_id) return;
  const [thread] = await trx('comments').where({ id: row.thread_id }).decrement('reply_count', 1).returning(['reply_count', 'deleted_at']);
  // A [deleted] thread whose last reply went has nothing left to keep.
  if (thread && Number(thread.reply_count) <= 0 && thread.deleted_at) await trx('comments').where({ id: row.thread_id }).delete();
}

/**
 * Deletes a comment: a top-level comment with replies becomes `[deleted]` (its thread stays), any
 * other is removed (its thread's replyCount drops). Answers what became of it.
 */
export async function deleteComment(db: Db, id: string): Promise<'removed' | 'marked' | 'absent'> {
  return db.transaction(async (trx) => {
    const row: CommentRow | undefined = await trx('comments').where({ id }).forUpdate().first();
    if (!row || row.deleted_at) return 'absent';
    if (!row.thread_id && Number(row.reply_count) > 0) {
      await trx('comments').where({ id }).update({ deleted_at: trx.fn.now() });
      return 'marked';
    }
    await removeRow(trx, row);
    return 'removed';
  });
}
