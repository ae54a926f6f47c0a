/**
 * Waits until `condition` holds, checking it every `everyMs` (a bounded poll, for states that send no
 * event: a file's size, a process's pending signals); fails after `timeoutMs` naming what it waited for.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, { timeoutMs = 10_000, everyMs = 10 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
