/**
 * The user's own Claude Code OAuth credentials, read fresh on every poll and never kept,
 * logged or written anywhere. The access token is a non-enumerable property so that
 * `JSON.stringify` and `console.log` of a credentials object never show it.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import * as v from "valibot";
import { claudeHomeDir } from "../../ingest/discover";
import type { PollContext } from "../source";
import { describeIssue, numeric, orNull, parseJsonWith, stringOrNull, validItems } from "../../schema";

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

/** `.credentials.json` (and the Keychain secret, same JSON): only its `claudeAiOauth` login is read. */
const CredentialsFileSchema = v.object({
  claudeAiOauth: v.object({
    accessToken: v.pipe(v.string(), v.nonEmpty("empty")),
    expiresAt: orNull(numeric),
    scopes: v.fallback(validItems(v.string()), []),
    subscriptionType: stringOrNull,
    rateLimitTier: stringOrNull,
  }),
});

/**
 * Parses `.credentials.json` text (or the Keychain secret); `where` names it in messages,
 * which say which field is wrong and never what it holds.
 */
export function parseCredentialsText(
  text: string,
  origin: OAuthCredentials["origin"],
  where = "Claude Code's credentials file",
): CredentialsResult {
  const parsed = parseJsonWith(CredentialsFileSchema, text, where);
  if (!parsed.ok) {
    return parsed.issue === null
      ? { ok: false, problem: "malformed", message: parsed.message }
      : {
          ok: false,
          problem: "missing",
          message: describeIssue(`${where} holds no claude.ai login`, parsed.issue),
        };
  }
  const oauth = parsed.value.claudeAiOauth;
  const credentials = { expiresAtMs: oauth.expiresAt, scopes: oauth.scopes, origin } as OAuthCredentials;
  if (oauth.subscriptionType) credentials.subscriptionType = oauth.subscriptionType;
  if (oauth.rateLimitTier) credentials.rateLimitTier = oauth.rateLimitTier;
  Object.defineProperty(credentials, "accessToken", { value: oauth.accessToken, enumerable: false });
  return { ok: true, credentials };
}

/** The credentials file, then (on macOS, when injected) the Keychain. */
export async function readCredentials(ctx: PollContext): Promise<CredentialsResult> {
  const file = path.join(claudeHomeDir(ctx.env, ctx.homeDir), ".credentials.json");
  const text = await ctx.files.readText(file).catch(() => null);
  if (text !== null) return parseCredentialsText(text, "file", `Claude Code's credentials file ${file}`);
  if (ctx.platform === "darwin" && ctx.readKeychain) {
    const service = keychainServiceName(ctx.env);
    const secret = await ctx.readKeychain(service).catch(() => null);
    if (secret) return parseCredentialsText(secret, "keychain", `Claude Code's Keychain item ${service}`);
  }
  return {
    ok: false,
    problem: "missing",
    message: `no Claude Code login found (${file}); run claude to log in`,
  };
}
