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
export { BackupRefused, linkSideFiles, PIN_PREFIX, readBackup, readPinned, writeBackup } from './backup.ts';
export type { Backup, BackupContent } from './backup.ts';
export type { Pinned } from './types.ts';
export { restoreBackup } from './restore.ts';
export { SchemaTooNew } from './migrations.ts';
export { RestoreInterrupted } from './types.ts';
export { CURRENT_SCHEMA_VERSION } from './snapshot-format.ts';
