import globalSetup from '../../test/harness/global-setup';
import globalTeardown from '../../test/harness/global-teardown';

/**
 * A bench's entrypoint: runs `body` against the test harness's dev server and fresh database
 * (started here, and stopped after, unless TEST_TEMPORAL_ADDRESS names running ones), then exits
 * 0, or 1 with the error — the SDK's native threads would otherwise keep the process alive.
 */
export function runBench(body: () => Promise<void>): void {
  const run = async () => {
    const ownSetup = !process.env.TEST_TEMPORAL_ADDRESS;
    if (ownSetup) await globalSetup();
    try {
      await body();
    } finally {
      if (ownSetup) await globalTeardown();
    }
  };
  run().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
