import { createHash } from "node:crypto";
import { fnv1aHex, sha256Hex } from "../../exporter/src/hash";

describe("sha256Hex (node:crypto's SHA-256 without loading node:crypto)", () => {
  it("equals node:crypto on the standard vectors and on every length around the block boundaries", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const inputs: string[] = [];
    for (let length = 0; length <= 200; length++) inputs.push("q".repeat(length));
    inputs.push(
      '["/home/dev/.claude","/home/dev/.config/claude"]',
      "zoné ☃ 😀".repeat(40),
      "x".repeat(100_000),
    );
    for (const input of inputs)
      expect(sha256Hex(input)).toBe(createHash("sha256").update(input).digest("hex"));
  });

  it("fnv1aHex: the FNV-1a reference values, and a different fingerprint for a one-character change", () => {
    expect(fnv1aHex("")).toBe("811c9dc5");
    expect(fnv1aHex("a")).toBe("e40c292c");
    expect(fnv1aHex("foobar")).toBe("bf9cf968");
    const prices = JSON.stringify({ "claude-opus-4-5": { inputUsdPerMTok: 5 } });
    expect(fnv1aHex(prices.replace("5", "6"))).not.toBe(fnv1aHex(prices));
  });
});
