import { createDb, isDatabaseUnavailable } from './db';

/** Real errors from pg and knex, not made-up ones: what a caller sees when PostgreSQL goes away. */
describe('isDatabaseUnavailable', () => {
  it('is true for a refused connection', async () => {
    const db = createDb('postgres://postgres@127.0.0.1:1/postgres', 1);
    try {
      const error = await db.raw('select 1').then(() => undefined, (e: unknown) => e);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  (url ? it : it.skip)('is true for a connection the server terminates, false for a bad statement or a constraint', async () => {
    const db = createDb(url!, 1);
    try {
      const syntax = await db.raw('selec 1').then(() => undefined, (e: unknown) => e);
      expect(syntax).toBeDefined();
      expect(isDatabaseUnavailable(syntax)).toBe(false);
      const unique = await db.raw('create temp table t (id int primary key); insert into t values (1), (1)').then(() => undefined, (e: unknown) => e);
      expect(isDatabaseUnavailable(unique)).toBe(false);
      const killed = await db.raw('select pg_terminate_backend(pg_backend_pid())').then(() => undefined, (e: unknown) => e);
      expect(isDatabaseUnavailable(killed)).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
