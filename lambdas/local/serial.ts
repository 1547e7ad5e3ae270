/**
 * Runs async tasks one at a time in call order. The local pipeline drains, loads and answers admin calls
 * through one of these, so that `sluice load` and the scheduled load never run over each other.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task` after everything queued before it and resolves with its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
