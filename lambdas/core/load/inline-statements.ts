import type { BackgroundStatements, StatementState, Warehouse } from '../ports.js';

const inline = new WeakMap<Warehouse, BackgroundStatements>();

/**
 * The warehouse's {@link BackgroundStatements}, or — for a warehouse without them — an equivalent that runs
 * each statement to the end before `start…` resolves and remembers its outcome for this process. The load
 * is written once against background statements; a warehouse that cannot run them in the background simply
 * never makes it wait. A start that throws is a crash of the load (resumed by the next run), not a failed
 * statement.
 */
export function backgroundOf(warehouse: Warehouse): BackgroundStatements {
  if (warehouse.background) return warehouse.background;
  const known = inline.get(warehouse);
  if (known) return known;
  const outcomes = new Map<string, StatementState & { readonly rows?: number }>();
  let count = 0;
  const remember = (outcome: StatementState & { readonly rows?: number }): string => {
    count += 1;
    const id = `inline-${count}`;
    outcomes.set(id, outcome);
    return id;
  };
  const background: BackgroundStatements = {
    startTransaction: async (statements) => {
      await warehouse.transaction(statements);
      return remember({ status: 'finished' });
    },
    startBulkLoad: async (request) =>
      remember({ status: 'finished', rows: await warehouse.bulkLoad(request) }),
    state: async (id) =>
      outcomes.get(id) ?? { status: 'failed', reason: `statement ${id} is unknown to this process` },
    bulkLoadRows: async (id) => outcomes.get(id)?.rows ?? 0,
  };
  inline.set(warehouse, background);
  return background;
}
