// Addresses of the notes pages, built in one place (ids and search words are always encoded).

/** `/notes/<id>`, or one of its sub-pages (`edit`, `delete`, `public`, `history`, `pin`). */
export function notePath(noteId: string, page?: 'edit' | 'delete' | 'public' | 'history' | 'pin'): string {
  const base = `/notes/${encodeURIComponent(noteId)}`;
  return page === undefined ? base : `${base}/${page}`;
}

/** The list's orders (NOTES-UI-06); `updated` is the default and left out of addresses. */
export type ListOrder = 'updated' | 'created' | 'title';

/** The list's address with the given search, tag, page and order (empty and default ones left out). */
export function listPath(query: string, tag: string | undefined, page = 1, order: ListOrder = 'updated'): string {
  const params = new URLSearchParams();
  if (query !== '') params.set('q', query);
  if (tag !== undefined) params.set('tag', tag);
  if (order !== 'updated') params.set('sort', order);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search === '' ? '/notes' : `/notes?${search}`;
}

/** The read-only page anyone with the link may open while the note is public. */
export function publicNotePath(publicId: string): string {
  return `/p/${encodeURIComponent(publicId)}`;
}

/** `/notes/<id>/history/<versionId>`, or the form that restores it. */
export function versionPath(noteId: string, versionId: string, action?: 'restore'): string {
  const base = `${notePath(noteId, 'history')}/${encodeURIComponent(versionId)}`;
  return action === undefined ? base : `${base}/${action}`;
}

/** `/trash`, or the form that restores or erases one trashed note. */
export function trashPath(noteId?: string, action?: 'restore' | 'erase'): string {
  if (noteId === undefined) return '/trash';
  return `/trash/${encodeURIComponent(noteId)}/${action ?? 'restore'}`;
}
