// Generated from core/src/statusline/wrap-codec.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * A statusline command the user already had travels inside ours (install wraps it; the
 * statusline command runs it first). Node built-ins only.
 */
/** The original command travels inside ours, base64url-encoded (shell-safe). */
export function encodeWrapped(command: string): string {
  return Buffer.from(command, "utf8").toString("base64url");
}

export function decodeWrapped(encoded: string): string {
  return Buffer.from(encoded, "base64url").toString("utf8");
}
