import { z } from 'zod';
import { optionalString } from './env';

/** The web app served at / (web/): where its build is and what it links to. */
export const webSchema = z.object({
  TEMPORAL_UI_URL: optionalString.describe('Temporal Web UI base URL the admin console links each process to; unset, the embedded dev server\'s UI (http://HOST:TEMPORAL_UI_PORT).'),
  WEB_DIST_DIR: optionalString.describe('Folder of the built web app served at /; unset, web/dist of this checkout.'),
});
