import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-aria-components';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiForm, Button, Empty, Field, Loading, ProblemAlert, When, useAction } from '../../ui';
import { authorName, keys, personName, plural, type Channel, type ChannelRole, type Content } from './data';

type Comment = Schemas['Comment'];

interface Ctx {
  content: Content;
  channel: Channel | null | undefined;
  role: ChannelRole;
}

/** A form whose body field empties after each post (a fresh form per post). */
function CommentForm({ label, submit, parentId, ctx, onDone }: { label: string; submit: string; parentId?: string; ctx: Ctx; onDone?: () => void }) {
  const queryClient = useQueryClient();
  const [round, setRound] = useState(0);
  return (
    <ApiForm
      key={round}
      className="form comment-form"
      submit={submit}
      fields={['body', 'parentId', 'commentsEnabled']}
      action={async (data) => {
        const body = String(data.get('body') ?? '');
        const created = await unwrap(api.POST('/v1/contents/{id}/comments', { params: { path: { id: ctx.content.id } }, body: { body, ...(parentId ? { parentId } : {}) } }));
        await queryClient.invalidateQueries({ queryKey: keys.comments(ctx.content.id) });
        if (created.threadId) await queryClient.invalidateQueries({ queryKey: keys.replies(created.threadId) });
        setRound((n) => n + 1);
        onDone?.();
      }}
    >
      <Field name="body" label={label} multiline isRequired />
    </ApiForm>
  );
}

function CommentItem({ comment, ctx, threadId }: { comment: Comment; ctx: Ctx; threadId: string }) {
  const { account } = useAuth();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'read' | 'reply' | 'edit'>('read');
  const [showReplies, setShowReplies] = useState(false);
  const { run, busy, error } = useAction();
  const mine = !!account && comment.authorId === account.id;
  const who = authorName(comment.authorId, comment.authorName, account?.id, ctx.channel);
  const open = ctx.content.commentsEnabled !== false;
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: keys.comments(ctx.content.id) }), queryClient.invalidateQueries({ queryKey: keys.replies(threadId) })]);
  return (
    <li className="comment" aria-label={`Comment by ${who}`}>
      <p className="comment-meta">
        <strong>{who}</strong>
        {comment.replyToAccountId && <span className="muted"> replying to {personName(comment.replyToAccountId, comment.replyToName)}</span>} <span className="muted">· <When iso={comment.createdAt} />{comment.editedAt && ' · edited'}</span>
      </p>
      {mode === 'edit' ? (
        <>
          <ApiForm
            className="form comment-form"
            submit="Save comment"
            fields={['body']}
            action={async (data) => {
              await unwrap(api.PATCH('/v1/comments/{id}', { params: { path: { id: comment.id } }, body: { body: String(data.get('body') ?? '') } }));
              await refresh();
              setMode('read');
            }}
          >
            <Field name="body" label="Edit your comment" defaultValue={comment.body} multiline isRequired />
          </ApiForm>
          <Button variant="secondary" onPress={() => setMode('read')}>
            Cancel
          </Button>
        </>
      ) : (
        <p className={comment.deleted ? 'comment-body muted' : 'comment-body'}>{comment.body}</p>
      )}
      <ProblemAlert error={error} />
      {!comment.deleted && mode === 'read' && (
        <div className="actions comment-actions">
          {account && open && (
            <Button variant="secondary" onPress={() => setMode('reply')} aria-label={`Reply to ${who}`}>
              Reply
            </Button>
          )}
          {mine && (
            <Button variant="secondary" onPress={() => setMode('edit')}>
              Edit
            </Button>
          )}
          {(mine || ctx.role.mayModerate) && (
            <Button variant="danger" isDisabled={busy} onPress={() => run(async () => {
              await unwrap(api.DELETE('/v1/comments/{id}', { params: { path: { id: comment.id } } }));
              await refresh();
            })}>
              Delete
            </Button>
          )}
        </div>
      )}
      {mode === 'reply' && (
        <>
          <CommentForm label={`Your reply to ${who}`} submit="Post reply" parentId={comment.id} ctx={ctx} onDone={() => { setMode('read'); setShowReplies(true); }} />
          <Button variant="secondary" onPress={() => setMode('read')}>
            Cancel
          </Button>
        </>
      )}
      {!comment.threadId && comment.replyCount > 0 && (
        <>
          <Button variant="secondary" onPress={() => setShowReplies((v) => !v)} aria-expanded={showReplies}>
            {showReplies ? 'Hide replies' : `Show ${plural(comment.replyCount, 'reply', 'replies')}`}
          </Button>
          {showReplies && <Replies threadId={comment.id} ctx={ctx} />}
        </>
      )}
    </li>
  );
}

function Replies({ threadId, ctx }: { threadId: string; ctx: Ctx }) {
  const replies = useQuery({ queryKey: keys.replies(threadId), queryFn: () => unwrap(api.GET('/v1/comments/{id}/replies', { params: { path: { id: threadId }, query: { limit: 200 } } })) });
  if (replies.isPending) return <Loading label="Loading replies…" />;
  return (
    <>
      <ProblemAlert error={replies.error} />
      <ul className="comments replies">{replies.data?.items.map((r) => <CommentItem key={r.id} comment={r} ctx={ctx} threadId={threadId} />)}</ul>
    </>
  );
}

/** Threaded comments: top-level ones newest first with their reply counts; replies load on demand. */
export function Comments(ctx: Ctx) {
  const { account } = useAuth();
  const threads = useInfiniteQuery({
    queryKey: keys.comments(ctx.content.id),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/contents/{id}/comments', { params: { path: { id: ctx.content.id }, query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = threads.data?.pages.flatMap((p) => p.items) ?? [];
  const open = ctx.content.commentsEnabled !== false;
  return (
    <section aria-labelledby="comments-h" className="comments-section">
      <h2 id="comments-h">Comments</h2>
      {!open ? (
        <p className="note">Comments are turned off for this content.</p>
      ) : account ? (
        <CommentForm label="Add a comment" submit="Comment" ctx={ctx} />
      ) : (
        <p>
          <Link href={`/login?next=${encodeURIComponent(window.location.pathname)}`}>Log in to comment</Link>.
        </p>
      )}
      <ProblemAlert error={threads.error} />
      {threads.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        open && <Empty>No comments yet.</Empty>
      ) : (
        <ul className="comments">{items.map((c) => <CommentItem key={c.id} comment={c} ctx={ctx} threadId={c.id} />)}</ul>
      )}
      {threads.hasNextPage && (
        <Button variant="secondary" isDisabled={threads.isFetchingNextPage} onPress={() => threads.fetchNextPage()}>
          More comments
        </Button>
      )}
    </section>
  );
}
