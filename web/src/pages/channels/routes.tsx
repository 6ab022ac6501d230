import { lazy } from 'react';
import { Route, Switch } from 'wouter';

// Each page a chunk of its own, and this table too: the storefront's entry knows one import for them all.
const Channels = lazy(() => import('./ChannelsPage').then((m) => ({ default: m.ChannelsPage })));
const ChannelPage = lazy(() => import('./ChannelPage').then((m) => ({ default: m.ChannelPage })));
const ChannelManage = lazy(() => import('./ChannelManage').then((m) => ({ default: m.ChannelManage })));
const NewContent = lazy(() => import('./NewContent').then((m) => ({ default: m.NewContent })));
const ContentPage = lazy(() => import('./ContentPage').then((m) => ({ default: m.ContentPage })));
const Discover = lazy(() => import('./Discover').then((m) => ({ default: m.Discover })));

/** The streaming community's pages: /discover, /channels…, /watch/:id. */
export default function ChannelRoutes() {
  return (
    <Switch>
      <Route path="/discover" component={Discover} />
      <Route path="/channels" component={Channels} />
      <Route path="/channels/:handle">{(p) => <ChannelPage handle={p.handle} />}</Route>
      <Route path="/channels/:handle/manage">{(p) => <ChannelManage handle={p.handle} />}</Route>
      <Route path="/channels/:handle/new">{(p) => <NewContent handle={p.handle} />}</Route>
      <Route path="/watch/:id">{(p) => <ContentPage id={p.id} />}</Route>
    </Switch>
  );
}
