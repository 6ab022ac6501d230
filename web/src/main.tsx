import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Component, StrictMode, Suspense, lazy, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, Route, Switch, useLocation } from 'wouter';
import { ApiError } from './api/client';
import { AuthProvider, useAuth } from './auth';
import { Loading } from './ui-basic';
import { Home } from './pages/storefront';
import './styles.css';

// Signed-in areas load on demand, so the storefront ships only what it shows.
const TalentPage = lazy(() => import('./pages/talent').then((m) => ({ default: m.TalentPage })));
const Signup = lazy(() => import('./pages/account').then((m) => ({ default: m.Signup })));
const Verify = lazy(() => import('./pages/account').then((m) => ({ default: m.Verify })));
const Login = lazy(() => import('./pages/account').then((m) => ({ default: m.Login })));
const Orders = lazy(() => import('./pages/orders').then((m) => ({ default: m.Orders })));
const OrderDetail = lazy(() => import('./pages/orders').then((m) => ({ default: m.OrderDetail })));
const Shop = lazy(() => import('./pages/shop').then((m) => ({ default: m.Shop })));
const Library = lazy(() => import('./pages/shop').then((m) => ({ default: m.Library })));
const Subscriptions = lazy(() => import('./pages/shop').then((m) => ({ default: m.Subscriptions })));
const Studio = lazy(() => import('./pages/studio').then((m) => ({ default: m.Studio })));
const Admin = lazy(() => import('./pages/admin').then((m) => ({ default: m.Admin })));
// The streaming community's pages route among themselves (pages/channels/routes.tsx), each a chunk of its own.
const ChannelRoutes = lazy(() => import('./pages/channels/routes'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2, refetchOnWindowFocus: false },
  },
});

function Header() {
  const { account, isAdmin, isTalent, logout, ready } = useAuth();
  const [, navigate] = useLocation();
  return (
    <header className="topbar">
      <nav aria-label="Main" className="nav">
        <Link href="/" className="brand">
          <span className="brand-dot" aria-hidden="true" />
          Limelight
        </Link>
        <Link href="/">Talents</Link>
        <Link href="/shop">Films &amp; plans</Link>
        <Link href="/discover">Discover</Link>
        <Link href="/channels">Channels</Link>
        {account && (
          <>
            <Link href="/orders">My orders</Link>
            <Link href="/library">Library</Link>
            <Link href="/subscriptions">Subscriptions</Link>
          </>
        )}
        {isTalent && <Link href="/studio">Studio</Link>}
        {isAdmin && <Link href="/admin">Admin</Link>}
      </nav>
      <div className="session">
        {!ready ? null : account ? (
          <>
            <span className="muted">{account.name}</span>
            <button
              type="button"
              className="btn btn-secondary"
              onClick={async () => {
                await logout();
                navigate('/');
              }}
            >
              Log out
            </button>
          </>
        ) : (
          <>
            <Link href="/login">Log in</Link>
            <Link href="/signup" className="btn btn-primary">
              Sign up
            </Link>
          </>
        )}
      </div>
    </header>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Back to the talents</Link>.
      </p>
    </section>
  );
}

/** A page that throws while rendering shows what happened and a way on, never a blank page. */
class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null; key: string }> {
  state = { error: null as Error | null, key: this.props.resetKey };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: Error | null; key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="page">
        <h1>This page could not be shown</h1>
        <div role="alert" className="alert">
          {this.state.error.message || 'Something went wrong.'}
        </div>
        <p>
          <a href={window.location.pathname}>Reload the page</a> or go <Link href="/">back to the talents</Link>.
        </p>
      </section>
    );
  }
}

function App() {
  const [location] = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={Home} />
            <Route path="/talents/:id">{(p) => <TalentPage id={p.id} />}</Route>
            <Route path="/signup" component={Signup} />
            <Route path="/verify" component={Verify} />
            <Route path="/login" component={Login} />
            <Route path="/orders" component={Orders} />
            <Route path="/orders/:id">{(p) => <OrderDetail id={p.id} />}</Route>
            <Route path="/shop" component={Shop} />
            <Route path="/library" component={Library} />
            <Route path="/subscriptions" component={Subscriptions} />
            <Route path="/studio" component={Studio} />
            <Route path="/discover" component={ChannelRoutes} />
            <Route path="/channels" component={ChannelRoutes} />
            <Route path="/channels/*" component={ChannelRoutes} />
            <Route path="/watch/:id" component={ChannelRoutes} />
            <Route path="/admin" component={Admin} />
            <Route path="/admin/*" component={Admin} />
            <Route component={NotFound} />
          </Switch>
        </Suspense>
        </ErrorBoundary>
      </main>
      <footer className="footer">
        <span>Limelight — shoutouts, films and memberships.</span> <a href="/docs">API</a>
      </footer>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <App />
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
