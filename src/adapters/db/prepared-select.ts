import { createQueryId, type Compilable, type CompiledQuery, type Kysely } from 'kysely';
import type { DB } from './schema.js';
import type { DirectSelect } from './dialects/sqlite.js';

/**
 * A SELECT that Kysely builds and compiles once per database handle; each later call binds its values to the same
 * SQL. Building and compiling a small query (immutable nodes, frozen at every step) costs more CPU than SQLite
 * takes to run it: on the hot reads (one article, a page of 15) it was about a fifth of a request.
 *
 * `build` is called once per handle with stand-ins for the values: it must use each of them only as a value (a
 * comparison's right side, an `in` list's element, a limit), never branch on it or compute with it. Every stand-in
 * must reach the parameters unchanged, or the first call throws. Plugins see the query when it is compiled, once:
 * only SELECTs may be prepared (the read-after-write plugin marks a scope on writes).
 */
export interface PreparedSelect<A extends readonly unknown[], R> {
  execute(db: Kysely<DB>, ...values: A): Promise<R[]>;
}

/** A stand-in for a value; the compiled query's parameters hold it where the real value goes. */
class Slot {
  constructor(readonly index: number) {}
}

/** `arity`: how many values `build` takes after the handle (its declared parameters unless it takes a rest). */
export function preparedSelect<A extends readonly unknown[], R>(
  build: (db: Kysely<DB>, ...values: A) => Compilable<R>,
  arity = build.length - 1,
): PreparedSelect<A, R> {
  // One entry per handle: primary, replica and each transaction compile with their own dialect and plugins.
  const compiled = new WeakMap<Kysely<DB>, CompiledQuery<R>>();

  function compile(db: Kysely<DB>): CompiledQuery<R> {
    const slots = Array.from({ length: arity }, (_, i) => new Slot(i));
    const query = build(db, ...(slots as unknown as A)).compile();
    if (query.query.kind !== 'SelectQueryNode') throw new Error(`preparedSelect: a ${query.query.kind} is no SELECT`);
    for (const slot of slots) {
      if (!query.parameters.includes(slot)) {
        throw new Error(`preparedSelect: value ${slot.index} was not used as a value (computed with, or left out)`);
      }
    }
    compiled.set(db, query);
    return query;
  }

  return {
    async execute(db, ...values) {
      const query = compiled.get(db) ?? compile(db);
      const parameters = query.parameters.map((p) => (p instanceof Slot ? values[p.index] : p));
      const rows = directSelects.get(db)?.(query.sql, parameters);
      if (rows !== undefined) return rows as R[];
      // A fresh query id per run, as Kysely gives each built query: plugins key their per-run state by it.
      const result = await db.executeQuery<R>({ ...query, parameters, queryId: createQueryId() });
      return result.rows;
    },
  };
}

/**
 * A way to run a prepared SELECT's SQL without Kysely's executor, for a handle whose engine runs in this process
 * (SQLite, see dialects/sqlite.ts). Kysely's path (connection mutex, plugins' result hooks, query log) costs a
 * page of 15 summaries or one article about 3 µs with the CPU caches warm and 18 µs cold, as they are under load;
 * the statement itself 4 and 22. When the direct path answers undefined (a transaction holds the connection),
 * the query goes through Kysely and waits its turn like any other.
 */
const directSelects = new WeakMap<Kysely<DB>, DirectSelect>();

export function registerDirectSelect(db: Kysely<DB>, select: DirectSelect): void {
  directSelects.set(db, select);
}
