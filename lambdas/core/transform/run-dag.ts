/**
 * Runs a DAG of tasks with bounded concurrency: a task starts once all its parents succeeded, at most `limit`
 * run at once, and when one fails every task below it is skipped while the other branches carry on.
 */

/** What {@link runDag} calls. */
export interface DagCallbacks {
  /** Runs a task; resolves `true` on success, `false` on failure (it must not reject). */
  run(id: string): Promise<boolean>;
  /** A task will not run because `failed`, one of its ancestors, failed. */
  skip(id: string, failed: string): void;
  /** Asked before each start; `false` stops starting tasks (those left over are deferred). */
  canStart?(): boolean;
}

/**
 * Runs `order` (parents before children) where `parents` gives each task's parents among the tasks; parents
 * outside the tasks count as done. Returns the tasks never started because `canStart` said no.
 */
export async function runDag(
  order: readonly string[],
  parents: ReadonlyMap<string, readonly string[]>,
  limit: number,
  callbacks: DagCallbacks,
): Promise<{ deferred: string[] }> {
  const tasks = new Set(order);
  const children = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const id of order) {
    for (const p of parents.get(id) ?? []) if (tasks.has(p)) children.get(p)?.push(id);
  }
  const pending = new Set(order);
  const succeeded = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const skipBelow = (failed: string): void => {
    const frontier = [...(children.get(failed) ?? [])];
    while (frontier.length > 0) {
      const id = frontier.shift() as string;
      if (!pending.has(id)) continue;
      pending.delete(id);
      callbacks.skip(id, failed);
      frontier.push(...(children.get(id) ?? []));
    }
  };

  const ready = (id: string): boolean =>
    (parents.get(id) ?? []).every((p) => !tasks.has(p) || succeeded.has(p));

  for (;;) {
    for (const id of order) {
      if (running.size >= Math.max(1, limit) || stopped) break;
      if (!pending.has(id) || !ready(id)) continue;
      if (callbacks.canStart && !callbacks.canStart()) {
        stopped = true;
        break;
      }
      pending.delete(id);
      running.set(
        id,
        callbacks.run(id).then((ok) => {
          running.delete(id);
          if (ok) succeeded.add(id);
          else skipBelow(id);
        }),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return { deferred: order.filter((id) => pending.has(id)) };
}
