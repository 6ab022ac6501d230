import { Hono } from 'hono';
import type { AppEnv } from '../../api/app-types';
import { rangeNotSatisfiableAsProblem } from '../../api/middleware/range-problem';
import { problemBody } from '../../api/problem';

/** Finding 3, for every route that serves ranges (contents playback too): a bare 416 leaves as a problem naming Range. */
describe('hardening: any 416 is a problem document', () => {
  it('completes a bare 416 (empty body typed as the file) and keeps Content-Range', async () => {
    const app = new Hono<AppEnv>();
    app.use('*', rangeNotSatisfiableAsProblem);
    app.get('/file', () => new Response(null, { status: 416, headers: { 'Content-Type': 'video/mp4', 'Content-Range': 'bytes */1234', 'Content-Length': '0' } }));
    app.get('/ok', (c) => c.body('x', 200, { 'Content-Type': 'video/mp4' }));
    const res = await app.request('/file');
    expect(res.status).toBe(416);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('content-range')).toBe('bytes */1234');
    expect(await res.json()).toMatchObject({ status: 416, size: 1234, errors: [{ field: 'Range', message: 'must select bytes within 0-1233' }] });
    expect((await app.request('/ok')).headers.get('content-type')).toBe('video/mp4');
  });
});

describe('hardening: problem extensions never replace RFC 9457 members', () => {
  it('keeps status a number when an extension is called status (found by the response guard on split refunds)', () => {
    expect(problemBody(409, 'conflict', 'x', undefined, { status: 'refunded', type: 'nope', splitStatus: 'refunded' })).toMatchObject({ status: 409, type: 'https://limelight.dev/problems/conflict', splitStatus: 'refunded' });
  });
});
