// Persistence: load the state a restart should see, append committed changes durably, compact.
export { openFileStore } from './file-store.ts';
export type { FileStore, FileStoreOptions } from './file-store.ts';
export { openMemoryStore } from './memory-store.ts';
export type { MemoryStore } from './memory-store.ts';
export { DataDirLocked } from './types.ts';
export { LockUnreadable } from './lock.ts';
export { DataDirUnsafe, describeTightened } from './data-dir-permissions.ts';
export type { PermissionCalls, Tightened } from './data-dir-permissions.ts';
export type { Store } from './types.ts';
export type { Change, Collections, CollectionsOf } from '../records/index.ts';
