/**
 * Text that stands for a value rather than being one: `<client secret>` from a manifest, or the
 * usual fill-me-in words. A secret like that would be accepted, and fail much later and far away
 * (a Genesys login refused, tokens signed with a guessable key), so it is refused at start.
 */
const PLACEHOLDERS = [
  /^<.*>$/s,
  /^\$\{.*\}$/s,
  /^(change[-_ ]?me|replace[-_ ]?me|placeholder|todo|tbd|xxx+|secret|password|your[-_ ].*|example|dummy|fixme)$/i,
  /\bat least 32 random bytes\b/i,
  /\bopenssl rand\b/i,
];

export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return PLACEHOLDERS.some((pattern) => pattern.test(trimmed));
}
