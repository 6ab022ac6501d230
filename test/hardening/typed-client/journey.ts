import createClient from 'openapi-fetch';
import type { paths } from './api';

/**
 * A client's journey written against the types openapi-typescript generates from /openapi.json
 * (typed-client.test.ts regenerates them from the live document and type-checks this file against
 * them, then runs it): sign up, verify, log in, become a talent with no business price (`null`),
 * be found, be ordered from with an Idempotency-Key, and list.
 */
export async function clientJourney(baseUrl: string, fanToken: string): Promise<{ talentId: string; orderId: string; replayed: boolean }> {
  const api = createClient<paths>({ baseUrl });
  const email = `typed-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;

  const signup = await api.POST('/v1/accounts', { body: { email, password: 'correct horse battery staple', name: 'Typed Talent', kind: 'talent' } });
  if (!signup.data) throw new Error(`signup: ${JSON.stringify(signup.error)}`);

  const code = await waitForCode(api, email);
  const verified = await api.POST('/v1/accounts/verify', { body: { email, code } });
  if (verified.data?.status !== 'active') throw new Error(`verify: ${JSON.stringify(verified.error)}`);

  const login = await api.POST('/v1/auth/token', { body: { email, password: 'correct horse battery staple' } });
  if (!login.data) throw new Error(`login: ${JSON.stringify(login.error)}`);
  const talentAuth = { Authorization: `Bearer ${login.data.accessToken}` };

  const me = await api.GET('/v1/me', { headers: talentAuth });
  const talentId: string = me.data!.id;

  const profile = await api.PUT('/v1/talents/me', {
    headers: talentAuth,
    body: { displayName: `Typed ${talentId.slice(-6)}`, bio: 'Generated client', category: 'music', price: { amount: 2500, currency: 'USD' }, businessPrice: null, turnaroundDays: 3, acceptingOrders: true },
  });
  if (!profile.data) throw new Error(`profile: ${JSON.stringify(profile.error)}`);
  const noBusinessPrice: null | { amount: number; currency: string } = profile.data.businessPrice;
  if (noBusinessPrice !== null) throw new Error('businessPrice should be null');

  const found = await api.GET('/v1/talents/{id}', { params: { path: { id: talentId } } });
  if (found.data?.id !== talentId) throw new Error('talent not found');

  const fanAuth = { Authorization: `Bearer ${fanToken}` };
  const orderBody = { talentId, recipientName: 'Ana', occasion: 'birthday', instructions: 'Typed!', paymentMethod: 'pm_card_visa' };
  const key = `typed-${talentId}`;
  const first = await api.POST('/v1/shoutouts', { headers: fanAuth, params: { header: { 'Idempotency-Key': key } }, body: orderBody });
  if (!first.data) throw new Error(`order: ${JSON.stringify(first.error)}`);
  const again = await api.POST('/v1/shoutouts', { headers: fanAuth, params: { header: { 'Idempotency-Key': key } }, body: orderBody });

  const mine = await api.GET('/v1/shoutouts', { headers: fanAuth, params: { query: { limit: 10 } } });
  if (!mine.data?.items.some((o) => o.id === first.data.id)) throw new Error('order not listed');
  return { talentId, orderId: first.data.id, replayed: again.response.headers.get('idempotent-replayed') === 'true' && again.data?.id === first.data.id };
}

async function waitForCode(api: ReturnType<typeof createClient<paths>>, email: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const box = await api.GET('/dev/mailbox', { params: { query: { to: email } } });
    // The mailbox also speaks HTML (Accept: text/html): this client asked for JSON.
    const items = typeof box.data === 'object' ? box.data.items : [];
    const code = items.map((m) => /\b(\d{6})\b/.exec(m.text)?.[1]).find(Boolean);
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no verification code for ${email}`);
}
