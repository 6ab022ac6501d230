/** The flush workflow's input and per-run figures (shown as its result in the Temporal UI). */
export interface EngagementFlushInput {
  /** Events per activity call (ENGAGEMENT_FLUSH_BATCH). */
  batchSize: number;
  /** Most batches one run drains before it ends (the next run continues). */
  maxBatches: number;
  /** Contents published within this horizon get their trending score recomputed. */
  trendingHorizonMs: number;
}

export interface FlushBatchFigures {
  batchId: string;
  events: number;
  /** False when a previous attempt had applied it already (the batch is then only acknowledged). */
  applied: boolean;
  votes: number;
  views: number;
  viewsCounted: number;
  subscriptions: number;
  contentsTouched: number;
  channelsTouched: number;
}

export interface EngagementFlushResult {
  batches: number;
  events: number;
  votes: number;
  views: number;
  viewsCounted: number;
  subscriptions: number;
  contentsTouched: number;
  channelsTouched: number;
  alreadyApplied: number;
  trendingRecomputed: number;
  /** Events still in the buffer when the run ended at maxBatches (0 when drained). */
  remaining: boolean;
}

/** The notify fan-out (`uploadNotification-<contentId>`): started when a content is published. */
export interface UploadNotificationInput {
  contentId: string;
  /** Subscribers per page (one activity call each). */
  pageSize: number;
  /** Where a continued run resumes (continue-as-new), with the figures so far. */
  afterAccountId?: string | null;
  soFar?: UploadNotificationResult;
}

export interface UploadNotificationResult {
  pages: number;
  mailed: number;
  skipped: number;
}

export const uploadNotificationWorkflowId = (contentId: string) => `uploadNotification-${contentId}`;
