/** Applies pending migrations when the server starts, so the first request does not pay for it. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { migrateOnStart } = await import('./db/start');
    await migrateOnStart();
  }
}
