// Lookups a transition needs besides the key (how many records, which ones have a field equal to a
// value), kept up to date by in-place commits instead of being recomputed by a scan per request.
// Both are attached to the collection object itself: a copied collection (copy-on-write) is a new
// object and is counted or indexed afresh when asked.

import { setOwn } from './own-key.ts';

type Records = Record<string, unknown>;

/** Record counts of collection objects (see `collectionSize`). */
const SIZES = new WeakMap<object, number>();

/** Number of records in a collection, counted once per collection object and then maintained. */
export function collectionSize(records: Readonly<Records>): number {
  let size = SIZES.get(records);
  if (size === undefined) {
    size = Object.keys(records).length;
    SIZES.set(records, size);
  }
  return size;
}

/** Secondary indexes (field -> value -> keys) of collection objects, built on first use. */
const INDEXES = new WeakMap<object, Map<string, Map<unknown, Set<string>>>>();
const NONE: ReadonlySet<string> = new Set();

function fieldOf(record: unknown, field: string): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[field] : undefined;
}

function indexAdd(index: Map<unknown, Set<string>>, value: unknown, key: string): void {
  let keys = index.get(value);
  if (!keys) {
    keys = new Set();
    index.set(value, keys);
  }
  keys.add(key);
}

function indexRemove(index: Map<unknown, Set<string>>, value: unknown, key: string): void {
  const keys = index.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(value);
}

/** Keys of the records in `records` whose `field` equals `value`. */
export function keysWhere(records: Readonly<Records>, field: string, value: unknown): ReadonlySet<string> {
  let byField = INDEXES.get(records);
  if (!byField) {
    byField = new Map();
    INDEXES.set(records, byField);
  }
  let index = byField.get(field);
  if (!index) {
    index = new Map();
    for (const key of Object.keys(records)) indexAdd(index, fieldOf(records[key], field), key);
    byField.set(field, index);
  }
  return index.get(value) ?? NONE;
}

/**
 * A view derived from every record of a collection (totals per owner, a search index), built on
 * first use and then kept in step by `applyWrites`, so asking for it costs nothing per request.
 * The definition object is the view's identity: define it once, at module level.
 */
export interface KeptView<V> {
  build(records: Readonly<Records>): V;
  /** One write: `previous` is undefined for a new key, `next` for a delete. */
  update(view: V, key: string, previous: unknown, next: unknown): void;
}

const VIEWS = new WeakMap<object, Map<KeptView<unknown>, unknown>>();

/** The view `definition` of `records`, built now if this collection object has none yet. */
export function keptView<V>(records: Readonly<Records>, definition: KeptView<V>): V {
  let views = VIEWS.get(records);
  if (!views) {
    views = new Map();
    VIEWS.set(records, views);
  }
  if (!views.has(definition as KeptView<unknown>)) views.set(definition as KeptView<unknown>, definition.build(records));
  return views.get(definition as KeptView<unknown>) as V;
}

/**
 * Applies a transaction's writes to `records` in place (`deleted` marks a delete), keeping its
 * count, indexes and kept views, if any were built, in step.
 */
export function applyWrites(records: Records, writes: ReadonlyMap<string, unknown>, deleted: symbol): void {
  let size = SIZES.get(records);
  const indexes = INDEXES.get(records);
  const views = VIEWS.get(records);
  for (const [key, value] of writes) {
    const existed = Object.hasOwn(records, key);
    if (views) {
      const previous = existed ? records[key] : undefined;
      const next = value === deleted ? undefined : value;
      for (const [definition, view] of views) definition.update(view, key, previous, next);
    }
    if (indexes) {
      for (const [field, index] of indexes) {
        if (existed) indexRemove(index, fieldOf(records[key], field), key);
        if (value !== deleted) indexAdd(index, fieldOf(value, field), key);
      }
    }
    if (value === deleted) delete records[key];
    else setOwn(records, key, value);
    if (size !== undefined) size += (value === deleted ? 0 : 1) - (existed ? 1 : 0);
  }
  if (size !== undefined) SIZES.set(records, size);
}
