/**
 * The queue's constants, apart from ./index.ts so that the CLI can show them as option defaults without
 * loading pg-boss. ./index.ts re-exports them.
 */

/** The queue every whosaid worker takes jobs from. */
export const QUEUE = 'whosaid-analyze';
/** The PostgreSQL schema pg-boss's tables live in (kept apart from the store's). */
export const DEFAULT_QUEUE_SCHEMA = 'whosaid_queue';
/** How long a worker may hold a job before it is taken back and retried (pg-boss "expireIn"). */
export const DEFAULT_LEASE_SECONDS = 15 * 60;
/** Attempts after the first, for a job whose worker failed or vanished. */
export const DEFAULT_RETRY_LIMIT = 3;
/** Done jobs leave the job table (for pg-boss's archive) after this long. */
export const ARCHIVE_DONE_AFTER_SECONDS = 3600;
/** Documents per job. */
export const DEFAULT_JOB_SIZE = 100;
/** A job is closed early when its documents pass this many bytes (keeps rows and fetches small). */
export const MAX_JOB_BYTES = 8 * 1024 * 1024;
