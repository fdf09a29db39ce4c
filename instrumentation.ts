/** Applies pending migrations when the server starts, so the first request does not pay for it. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startOperations } = await import('./lib/operations/server-start');
    startOperations();
    const { migrateOnStart } = await import('./db/start');
    await migrateOnStart();
  }
}
