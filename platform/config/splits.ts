import { z } from 'zod';
import { duration } from './env';

/** Variables of the splits capability (the saga's step timeouts). */
export const splitsSchema = z.object({
  /** One attempt of a saga step (an activity's startToClose). */
  SPLIT_STEP_TIMEOUT: duration('30s'),
  /** How long a forward step keeps retrying infrastructure failures before the saga gives up and compensates. */
  SPLIT_STEP_GIVE_UP: duration('10m'),
  /** The longest wait between attempts of a compensation step (they retry until done). */
  SPLIT_COMPENSATION_MAX_INTERVAL: duration('1m'),
});

export type SplitsConfig = z.infer<typeof splitsSchema>;
