/** Polls until `check` passes or the time is up; the last failure is rethrown. */
export async function eventually(check: () => Promise<void> | void, { timeoutMs = 5000, intervalMs = 100 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
