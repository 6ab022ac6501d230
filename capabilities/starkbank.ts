import { createStarkbankActivities } from '../activities/starkbank';
import { registerStarkbankRoutes } from '../api/routes/starkbank';
import { starkbankSchema } from '../platform/config/starkbank';
import { ensureStarkbankSchedule } from '../workers/starkbank-schedule';
import { defineCapability } from './capability';

/** Stark Bank: invoices every few hours, the credit webhook, batched transfers. */
export const starkbankCapability = defineCapability({
  name: 'starkbank',
  config: starkbankSchema,
  routes: registerStarkbankRoutes,
  activities: { main: createStarkbankActivities },
  schedules: ensureStarkbankSchedule,
});
