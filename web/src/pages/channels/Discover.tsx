import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { useSearch } from 'wouter';
import { api, unwrap } from '../../api/client';
import { Button, Empty, Loading, Page, ProblemAlert } from '../../ui';
import { ContentCard } from './ContentCard';

const SORTS = [
  { value: 'trending', label: 'Trending' },
  { value: 'newest', label: 'Newest' },
  { value: 'top', label: 'Top rated' },
] as const;
type Sort = (typeof SORTS)[number]['value'];

/** Published public contents of every channel: trending (the hot score), newest or top (score). The order is in the address. */
export function Discover() {
  const params = new URLSearchParams(useSearch());
  const sort: Sort = SORTS.find((s) => s.value === params.get('sort'))?.value ?? 'trending';
  const list = useInfiniteQuery({
    queryKey: ['discover', sort],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/contents', { params: { query: { sort, limit: 24, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Page title="Discover" actions={<Link href="/channels">All channels</Link>}>
      <nav aria-label="Order" className="subnav">
        {SORTS.map((s) => (
          <Link key={s.value} href={`/discover?sort=${s.value}`} aria-current={s.value === sort ? 'page' : undefined}>
            {s.label}
          </Link>
        ))}
      </nav>
      <ProblemAlert error={list.error} />
      {list.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>
          Nothing published yet. <Link href="/channels">Start a channel</Link>.
        </Empty>
      ) : (
        <ul className="grid">{items.map((c) => <ContentCard key={c.id} content={c} showChannel />)}</ul>
      )}
      {list.hasNextPage && (
        <Button variant="secondary" isDisabled={list.isFetchingNextPage} onPress={() => list.fetchNextPage()}>
          More
        </Button>
      )}
    </Page>
  );
}
