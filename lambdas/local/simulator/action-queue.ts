/** Something the simulation does at a moment of simulated time. */
export type Action = () => void;

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly run: Action;
}

/**
 * The agenda of the discrete-event simulation: a binary min-heap of actions ordered by time, then by the order
 * they were scheduled in. That total order is what makes a run deterministic, and makes running to time T in one
 * step or in many produce the same events.
 */
export class ActionQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;

  /** Number of actions waiting. */
  get size(): number {
    return this.heap.length;
  }

  /** Schedules `run` at simulated time `at`. */
  schedule(at: number, run: Action): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Entry, heap[parent] as Entry)) break;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
  }

  /** Time of the next action, or `Infinity` when none is waiting. */
  peekTime(): number {
    return this.heap[0]?.at ?? Infinity;
  }

  /** Removes and returns the next action with its time, or `undefined` when none is waiting. */
  pop(): { at: number; run: Action } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < heap.length && before(heap[left] as Entry, heap[least] as Entry)) least = left;
        if (right < heap.length && before(heap[right] as Entry, heap[least] as Entry)) least = right;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least] as Entry, heap[i] as Entry];
        i = least;
      }
    }
    return { at: top.at, run: top.run };
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
