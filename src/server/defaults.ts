/** Apart from ./app.ts so that the CLI can show it as an option default without loading fastify. */
export const DEFAULT_SERVER_MAX_BYTES = 1024 * 1024;
