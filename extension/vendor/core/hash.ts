// Generated from core/src/hash.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * FNV-1a (32 bits) over a string's UTF-16 units: a cheap hash that is stable across runs,
 * machines and versions (the extension places events in its shard files by it), and fast
 * even before the JIT has compiled anything (a fingerprint of a price table in a fresh process).
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
