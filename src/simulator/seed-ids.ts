/**
 * Seeded ids encode their owning division in the first group, so a leak check can spot a
 * foreign entity in raw response bytes without parsing them.
 */

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

function ownedId(prefix: string, k: number, n: number): string {
  return `${prefix}${hex(k, 7)}-0000-4000-8000-${hex(n, 12)}`;
}

/** Division k: 0 is Home, 1..4 the fixed BPO divisions, then the extra ones. */
export function divisionId(k: number): string {
  return `d0000000-0000-4000-8000-${hex(k, 12)}`;
}

/** Queue n (1-based) seeded in division k. */
export function queueId(k: number, n: number): string {
  return ownedId('a', k, n);
}

/** User n (1-based) of division k. */
export function userId(k: number, n: number): string {
  return ownedId('b', k, n);
}

/** Conversation n (1-based) of division k; a multi-division conversation carries its first division. */
export function conversationId(k: number, n: number): string {
  return ownedId('c', k, n);
}

/** Wrap-up codes live in Home and are shared by queues. */
export function wrapupCodeId(n: number): string {
  return `e0000000-0000-4000-8000-${hex(n, 12)}`;
}
