/**
 * bench/web: the web app measured in Debian's Chromium on the real stack (API serving web/dist).
 * Prints one JSON line: Lighthouse scores (performance, accessibility, best practices) of the
 * storefront home and the admin dashboard, the gzipped JS and CSS each route loads, and the time
 * from navigation to the first rendered talent list (median of 5 cold loads).
 *   npx tsx bench/web.ts          (builds web/ first when web/dist is missing)
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createActiveAccount } from '../test/harness/accounts';
import { startTestStack } from '../test/harness/stack';
import { buildWeb } from '../scripts/web-build';
import { measureWeb } from '../web/test/measure';
import { runBench } from './lib/run';

runBench(async () => {
  buildWeb({ onlyWhenMissing: true, say: (l) => process.stderr.write(`${l}\n`) });
  const stack = await startTestStack();
  const base = stack.api!.url;
  try {
    // A storefront worth rendering: 12 talents with profiles; an admin who logs in through the page.
    for (let i = 0; i < 12; i++) {
      const t = await createActiveAccount(stack.deps, { kind: 'talent' });
      await stack.http.put('/v1/talents/me', { displayName: `Talent ${i + 1}`, category: ['music', 'comedy', 'sports'][i % 3], bio: 'Bench talent', price: { amount: 2500 + i * 500, currency: 'USD' } }, { token: t.token });
    }
    // The admin is made as an operator makes one (npm run admin:create), so it has a password to log in with.
    const admin = { email: `bench-admin-${Date.now()}@example.test` };
    const password = 'correct horse battery staple';
    execFileSync('npx', ['tsx', 'scripts/admin-create.ts', '--email', admin.email, '--name', 'Bench Admin'], { cwd: path.resolve(__dirname, '..'), env: { ...process.env, DATABASE_URL: stack.config.DATABASE_URL, ADMIN_PASSWORD: password, LOG_LEVEL: 'silent' }, stdio: 'ignore' });

    const talentId = (await stack.http.get('/v1/talents?limit=1')).body.items[0].id;
    const measured = await measureWeb(base, talentId, { email: admin.email, password });
    process.stdout.write(JSON.stringify({ bench: 'web', ...measured }) + '\n');
  } finally {
    await stack.stop();
  }
});
