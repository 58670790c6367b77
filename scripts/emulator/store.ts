/**
 * In-memory resource state. Resources live in collections keyed by their lower-cased collection path
 * (ARM ids are case-insensitive); each keeps the id casing of the request that created it.
 */

export interface StoredResource {
  /** Full ARM resource id, casing as created. */
  id: string;
  name: string;
  /** ARM resource type as the service reports it, e.g. `Microsoft.SecurityInsights/alertRules`. */
  type: string;
  etag: string;
  /** Everything else the service returns: kind, location, properties, systemData… */
  body: Record<string, unknown>;
}

export interface StateSnapshot {
  version: 1;
  resources: StoredResource[];
}

const keyOf = (s: string) => s.toLowerCase();

export function collectionOf(id: string): string {
  return id.slice(0, id.lastIndexOf('/'));
}

export class Store {
  private readonly collections = new Map<string, Map<string, StoredResource>>();
  /** Called after every change (used for the optional state file). */
  onChange: () => void = () => {};

  get(id: string): StoredResource | undefined {
    return this.collections.get(keyOf(collectionOf(id)))?.get(keyOf(id));
  }

  /** Resources of one collection (e.g. `…/alertRules`), ordered by name. */
  list(collection: string): StoredResource[] {
    const items = [...(this.collections.get(keyOf(collection))?.values() ?? [])];
    return items.sort((a, b) => (keyOf(a.name) < keyOf(b.name) ? -1 : keyOf(a.name) > keyOf(b.name) ? 1 : 0));
  }

  /** Resources of one collection, unordered (cheap). */
  values(collection: string): Iterable<StoredResource> {
    return this.collections.get(keyOf(collection))?.values() ?? [];
  }

  /** Every resource whose id starts with `prefix` (case-insensitive), any depth. */
  listUnder(prefix: string): StoredResource[] {
    const p = keyOf(prefix);
    const out: StoredResource[] = [];
    for (const [key, coll] of this.collections) if (key.startsWith(p)) out.push(...coll.values());
    return out;
  }

  put(resource: StoredResource): void {
    const coll = keyOf(collectionOf(resource.id));
    let items = this.collections.get(coll);
    if (!items) this.collections.set(coll, (items = new Map()));
    items.set(keyOf(resource.id), resource);
    this.onChange();
  }

  /** Deletes the resource and everything nested under it; returns whether it existed. */
  delete(id: string): boolean {
    const items = this.collections.get(keyOf(collectionOf(id)));
    const existed = items?.delete(keyOf(id)) ?? false;
    const nested = keyOf(id) + '/';
    for (const key of [...this.collections.keys()]) if (key.startsWith(nested)) this.collections.delete(key);
    if (existed) this.onChange();
    return existed;
  }

  all(): StoredResource[] {
    return [...this.collections.values()].flatMap((c) => [...c.values()]);
  }

  snapshot(): StateSnapshot {
    return { version: 1, resources: structuredClone(this.all()) };
  }

  load(snapshot: StateSnapshot): void {
    this.collections.clear();
    const notify = this.onChange;
    this.onChange = () => {};
    try {
      for (const r of snapshot.resources) this.put(structuredClone(r));
    } finally {
      this.onChange = notify;
    }
  }
}
