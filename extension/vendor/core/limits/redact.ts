// Generated from core/src/limits/redact.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Secrets never leave through a message: anything shaped like an Anthropic key or token
 * (`sk-ant-api03-...`, `sk-ant-oat01-...`, `sk-ant-admin01-...`) or a bearer credential is
 * replaced before a status message, a log line or a stored state is built from text.
 */
const SECRET_SHAPES = [/sk-ant-[A-Za-z0-9_-]*/gi, /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi];

const REDACTED = "[redacted]";

/** `text` with every key- or token-shaped part replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}
