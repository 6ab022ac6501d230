import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createActiveAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { clientJourney } from './typed-client/journey';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/**
 * A typed client generated from the live /openapi.json (openapi-typescript + openapi-fetch): the
 * journey script must type-check against it, then run against the real API. The committed
 * typed-client/api.ts only lets the repository's own tsc see the script; this test always
 * regenerates from the document the API serves now.
 */
describe('hardening: a generated typed client', () => {
  let stack: TestStack;
  let dir: string;
  beforeAll(async () => {
    stack = await startTestStack();
    // Inside the repository (for node_modules), in a folder git and the repository's tsc ignore.
    dir = fs.mkdtempSync(path.join(ROOT, '.data', 'typed-client-'));
  });
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks the journey script against types generated from /openapi.json', async () => {
    fs.writeFileSync(path.join(dir, 'openapi.json'), (await stack.http.get('/openapi.json')).text);
    await run(path.join(ROOT, 'node_modules', '.bin', 'openapi-typescript'), [path.join(dir, 'openapi.json'), '--default-non-nullable', 'false', '-o', path.join(dir, 'api.ts')], { cwd: ROOT });
    fs.copyFileSync(path.join(__dirname, 'typed-client', 'journey.ts'), path.join(dir, 'journey.ts'));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', lib: ['ES2022', 'DOM'], types: ['node'], strict: true, noEmit: true, skipLibCheck: true }, files: ['journey.ts', 'api.ts'] }),
    );
    const checked = await run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', path.join(dir, 'tsconfig.json')], { cwd: ROOT }).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect(checked).not.toHaveProperty('failed');
  }, 120_000);

  it('runs the journey against the real API: signup, verify, login, profile with a null price, idempotent order', async () => {
    const fan = await createActiveAccount(stack.deps, { kind: 'fan' });
    const result = await clientJourney(stack.api!.url, fan.token);
    expect(result).toMatchObject({ talentId: expect.stringMatching(/^acc_/), orderId: expect.stringMatching(/^sho_/), replayed: true });
  }, 60_000);
});
