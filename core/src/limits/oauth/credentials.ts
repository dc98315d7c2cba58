/**
 * The user's own Claude Code OAuth credentials, read fresh on every poll and never kept,
 * logged or written anywhere. The access token is a non-enumerable property so that
 * `JSON.stringify` and `console.log` of a credentials object never show it.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { claudeHomeDir } from "../../ingest/discover";
import type { PollContext } from "../source";
import { finiteNumber, isRecord, stringOrNull } from "../units";

const KEYCHAIN_SERVICE = "Claude Code-credentials";

export interface OAuthCredentials {
  readonly accessToken: string;
  expiresAtMs: number | null;
  scopes: string[];
  subscriptionType?: string;
  rateLimitTier?: string;
  origin: "file" | "keychain";
}

export type CredentialsResult =
  | { ok: true; credentials: OAuthCredentials }
  | { ok: false; problem: "missing" | "malformed"; message: string };

/**
 * Keychain service name. Claude Code suffixes `-` + the first 8 hex digits of
 * sha256(config dir) when CLAUDE_CONFIG_DIR is set (it hashes the variable as given).
 */
export function keychainServiceName(env: PollContext["env"]): string {
  const dir = (env.CLAUDE_CONFIG_DIR ?? "").trim();
  if (dir === "") return KEYCHAIN_SERVICE;
  return `${KEYCHAIN_SERVICE}-${createHash("sha256").update(dir).digest("hex").slice(0, 8)}`;
}

/** Parses `.credentials.json` text (or the Keychain secret, same JSON). */
export function parseCredentialsText(text: string, origin: OAuthCredentials["origin"]): CredentialsResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: "malformed", message: "Claude Code credentials are not valid JSON" };
  }
  const oauth = isRecord(json) && isRecord(json.claudeAiOauth) ? json.claudeAiOauth : null;
  const token = oauth ? stringOrNull(oauth.accessToken) : null;
  if (!oauth || !token) {
    return { ok: false, problem: "missing", message: "Claude Code credentials hold no claude.ai login" };
  }
  const credentials = {
    expiresAtMs: finiteNumber(oauth.expiresAt),
    scopes: Array.isArray(oauth.scopes) ? oauth.scopes.filter((s): s is string => typeof s === "string") : [],
    origin,
  } as OAuthCredentials;
  const subscriptionType = stringOrNull(oauth.subscriptionType);
  if (subscriptionType) credentials.subscriptionType = subscriptionType;
  const rateLimitTier = stringOrNull(oauth.rateLimitTier);
  if (rateLimitTier) credentials.rateLimitTier = rateLimitTier;
  Object.defineProperty(credentials, "accessToken", { value: token, enumerable: false });
  return { ok: true, credentials };
}

/** The credentials file, then (on macOS, when injected) the Keychain. */
export async function readCredentials(ctx: PollContext): Promise<CredentialsResult> {
  const file = path.join(claudeHomeDir(ctx.env, ctx.homeDir), ".credentials.json");
  const text = await ctx.files.readText(file).catch(() => null);
  if (text !== null) return parseCredentialsText(text, "file");
  if (ctx.platform === "darwin" && ctx.readKeychain) {
    const secret = await ctx.readKeychain(keychainServiceName(ctx.env)).catch(() => null);
    if (secret) return parseCredentialsText(secret, "keychain");
  }
  return {
    ok: false,
    problem: "missing",
    message: `no Claude Code login found (${file}); run claude to log in`,
  };
}

/** A digest of the token, kept in memory only, to notice when the credentials change. */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
