/**
 * One line per configuration variable: what it means, for .env.example and the README's table
 * (scripts/env-example.ts). A capability may instead describe its variables inline with zod's
 * `.describe('…')` in its own schema file; an entry here wins over an inline description.
 */
export const CONFIG_DESCRIPTIONS: Record<string, string> = {
  // process
  NODE_ENV: 'development, test or production; production refuses the development JWT secret and hides /dev endpoints.',
  LOG_LEVEL: 'pino log level of every process (silent turns logs off).',
  HOST: 'Interface the API (and the worker metrics endpoint) listen on; 0.0.0.0 in containers.',
  PORT: 'HTTP port of the API.',
  PUBLIC_BASE_URL: 'Origin clients reach the API at, for links in emails and webhook URLs; unset, the API\'s own origin.',
  BODY_LIMIT_BYTES: 'Largest request body the API accepts, in bytes (uploads have their own limit); larger gets 413.',
  DATA_DIR: 'Folder of the embedded PostgreSQL data and the Temporal dev server SQLite file (npm start).',
  TOOLS_DIR: 'Folder of the project-local tools (the pinned Temporal CLI, stripe-mock).',
  // PostgreSQL
  DATABASE_URL: 'PostgreSQL connection URL; unset, npm start runs an embedded PostgreSQL under DATA_DIR.',
  EMBEDDED_PG_PORT: 'Port of the embedded PostgreSQL (only when DATABASE_URL is unset).',
  DB_POOL_MAX: 'Largest number of PostgreSQL connections per process.',
  // Temporal
  TEMPORAL_ADDRESS: 'host:port of an external Temporal frontend; unset, npm start runs the pinned Temporal dev server.',
  TEMPORAL_NAMESPACE: 'Temporal namespace of every workflow.',
  TEMPORAL_TLS_CERT: 'mTLS client certificate for TEMPORAL_ADDRESS: PEM text or a path to a PEM file.',
  TEMPORAL_TLS_KEY: 'mTLS client private key for TEMPORAL_ADDRESS: PEM text or a path to a PEM file.',
  TEMPORAL_TLS_CA: 'CA certificate that signs the Temporal server certificate: PEM text or a path (enables TLS).',
  TEMPORAL_API_KEY: 'API key for Temporal Cloud (enables TLS).',
  TEMPORAL_DEV_PORT: 'gRPC port of the embedded Temporal dev server (only when TEMPORAL_ADDRESS is unset).',
  TEMPORAL_UI_PORT: 'Port of the embedded Temporal Web UI (only when TEMPORAL_ADDRESS is unset).',
  // worker
  TASK_QUEUE: 'Task queue of every workflow and business activity.',
  MEDIA_TASK_QUEUE: 'Task queue of the CPU-heavy media activities (transcoding), kept apart so they cannot starve payments.',
  WORKER_MAX_ACTIVITIES: 'Concurrent activities per worker on TASK_QUEUE.',
  WORKER_MAX_CACHED_WORKFLOWS: 'Workflows a worker keeps in memory between tasks (about 40 KB each); a workflow that falls out is replayed from its history on its next task. Size it above the number of live subscriptions and orders.',
  MEDIA_MAX_ACTIVITIES: 'Concurrent activities per worker on MEDIA_TASK_QUEUE.',
  WORKER_METRICS_PORT: 'Port of the worker\'s Prometheus endpoint for the Temporal SDK metrics (task latencies, slots) at /metrics.',
  WORKER_APP_METRICS_PORT: 'Port of the worker\'s Prometheus endpoint for business metrics recorded by activities (payments, compensations) at /metrics.',
  // API
  JWT_SECRET: 'HS256 secret (32+ characters) signing access and refresh tokens; must be set in production.',
  IDEMPOTENCY_TTL_HOURS: 'How long an Idempotency-Key and its first answer are kept, in hours.',
  TRUST_PROXY: 'Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits, audit).',

  // Capabilities whose schema comments (read by schema-doc.ts) do not fit one variable on their own.
  MAIL_FROM: 'Sender (From header) of every email the platform sends.',
  TRANSCODE_PRESET: 'libx264 speed/size preset of transcodes (faster = bigger files, less CPU).',
  STRIPE_MAX_NETWORK_RETRIES: 'Retries of the Stripe SDK on network errors (with Stripe idempotency keys, safe).',
  STRIPE_TIMEOUT: 'Timeout of one Stripe API call.',
  SHOUTOUT_AUTHORIZATION_WAIT: 'How long a talent\'s accept or decline waits for a payment that is still authorising (then applies it) before answering 409; never past the order deadline.',
  SHOUTOUT_REAUTH_AT_BPS: 'Share of SHOUTOUT_AUTH_WINDOW (basis points) after which an order still open re-authorises its payment.',
  STARKBANK_ENVIRONMENT: 'Stark Bank environment of the starkbank adapter.',
  STARKBANK_USER_ID: 'Id of the Stark Bank project or organization user (with STARKBANK_PRIVATE_KEY[_FILE]; selects the starkbank adapter).',
  STARKBANK_SCHEDULE_ID: 'Id of the Temporal Schedule that issues invoices.',
  STARKBANK_INVOICE_INTERVAL: 'How often the schedule issues a batch of invoices.',
  STARKBANK_INVOICE_WINDOW: 'How long the invoice schedule keeps running after it is (re)opened.',
  STARKBANK_INVOICES_MIN: 'Fewest invoices issued per scheduled run.',
  STARKBANK_INVOICES_MAX: 'Most invoices issued per scheduled run.',
  STARKBANK_BATCHER_ID: 'Workflow id of the long-running transfer batcher.',
};
