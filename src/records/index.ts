// The generic record engine: named collections of records, transactions that record their
// changes, one replay, and the indexes and counts kept in step. It knows no domain.
export type { Change, Collections, CollectionsOf, Transition } from './change.ts';
export { Transaction, owned } from './transaction.ts';
export type { RecordIn } from './transaction.ts';
export { applyChanges, replayInto } from './replay.ts';
export { collectionSize, keptView, keysWhere } from './indexes.ts';
export type { KeptView } from './indexes.ts';
export { internCollections, internRecord, pooledValues } from './intern.ts';
