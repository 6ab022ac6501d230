import { useQueryClient } from '@tanstack/react-query';
import { ToggleButton } from 'react-aria-components';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ProblemAlert, useAction } from '../../ui';
import { keys, type Content } from './data';

/**
 * Up and down votes. The caller's vote (myVote) shows at once; the counts are the flushed ones and
 * catch up within a few seconds (the content page refetches). Pressing the chosen vote again withdraws it.
 */
export function Votes({ content }: { content: Content }) {
  const { account } = useAuth();
  const queryClient = useQueryClient();
  const { run, busy, error } = useAction();
  const vote = (value: 1 | -1) =>
    run(async () => {
      const path = { params: { path: { id: content.id } } };
      const answer = content.myVote === value ? await unwrap(api.DELETE('/v1/contents/{id}/vote', path)) : await unwrap(api.PUT('/v1/contents/{id}/vote', { ...path, body: { value } }));
      queryClient.setQueryData<Content>(keys.content(content.id), (old) => old && { ...old, myVote: answer.myVote });
    });
  const disabled = !account || busy;
  return (
    <div className="votes" role="group" aria-label="Votes">
      <ToggleButton className="vote" isSelected={content.myVote === 1} isDisabled={disabled} onChange={() => vote(1)}>
        <span aria-hidden="true">▲</span> Up <span className="count">{content.upvotes ?? 0}</span>
      </ToggleButton>
      <ToggleButton className="vote" isSelected={content.myVote === -1} isDisabled={disabled} onChange={() => vote(-1)}>
        <span aria-hidden="true">▼</span> Down <span className="count">{content.downvotes ?? 0}</span>
      </ToggleButton>
      {!account && <span className="muted">Log in to vote.</span>}
      <ProblemAlert error={error} />
    </div>
  );
}
