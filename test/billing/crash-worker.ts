/**
 * A worker process for the crash test: the platform's real worker whose gateway, once the
 * renewal charge of period 2 has gone through, tells the parent and never answers, so the parent
 * can SIGKILL it between the money moving and the charge being recorded.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { PaymentGateway } from '../../providers/payments/port';
import { closeCoreDeps, createCoreDeps } from '../../platform/bootstrap';
import { configWith } from '../../platform/config';
import { createWorkers } from '../../workers/worker';

function stallingAfterPeriodTwo(inner: PaymentGateway): PaymentGateway {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'chargeOffSession') return Reflect.get(target, prop, receiver);
      return async (input: Parameters<PaymentGateway['chargeOffSession']>[0], options: { idempotencyKey: string }) => {
        const result = await target.chargeOffSession(input, options);
        if (options.idempotencyKey.endsWith('/period-2')) {
          process.send?.('charged');
          return new Promise<never>(() => undefined);
        }
        return result;
      };
    },
  });
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const config = configWith({}, process.env);
  const deps = await createCoreDeps(config, 'crash-worker');
  deps.ports.payments = stallingAfterPeriodTwo(deps.ports.payments);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS! });
  const workers = await createWorkers(deps, connection, { codePath: process.env.TEST_WORKFLOW_BUNDLE! });
  process.send?.('ready');
  await workers.run();
  await closeCoreDeps(deps);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
