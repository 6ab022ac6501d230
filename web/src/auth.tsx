import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { api, refreshSession, session, SESSION_HEADER, unwrap, type Schemas } from './api/client';

interface Auth {
  ready: boolean;
  account: Schemas['Account'] | null;
  isAdmin: boolean;
  isTalent: boolean;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const token = useSyncExternalStore(session.subscribe, () => session.token);
  const [booted, setBooted] = useState(!session.mayExist());
  useEffect(() => {
    if (!booted) void refreshSession().finally(() => setBooted(true));
  }, [booted]);
  const me = useQuery({ queryKey: ['me', token], queryFn: () => unwrap(api.GET('/v1/me')), enabled: !!token, staleTime: 60_000 });

  const value: Auth = {
    ready: booted && (!token || !me.isPending),
    account: token ? (me.data ?? null) : null,
    isAdmin: !!token && !!me.data?.roles.includes('admin'),
    isTalent: !!token && me.data?.kind === 'talent',
    async login(email, password) {
      const body = await unwrap(api.POST('/v1/auth/session', { params: { header: SESSION_HEADER }, body: { email, password } }));
      session.set(body.accessToken, body.expiresIn);
    },
    async logout() {
      await api.POST('/v1/auth/session/logout', { params: { header: SESSION_HEADER } });
      session.set(null);
      queryClient.clear();
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** Deployment facts: sandbox test cards, the dev mailbox, the Temporal UI. */
export function useWebConfig() {
  return useQuery({ queryKey: ['web-config'], queryFn: () => unwrap(api.GET('/v1/web/config')), staleTime: Infinity });
}
