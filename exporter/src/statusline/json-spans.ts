/**
 * Where values sit in a JSON text, so that settings.json can be edited surgically: only
 * the bytes we change move, and undoing restores the file byte for byte. Expects text that
 * `JSON.parse` accepted.
 */

export interface JsonNode {
  kind: "object" | "array" | "string" | "number" | "literal";
  /** [start, end) in the text. */
  start: number;
  end: number;
  members?: JsonMember[];
}

export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

export function parseWithSpans(text: string): JsonNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const str = (): JsonNode => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return { kind: "string", start, end: i };
  };
  const value = (): JsonNode => {
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const members: JsonMember[] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "object", start, end: i, members };
      }
      for (;;) {
        ws();
        const keyNode = str();
        const key = JSON.parse(text.slice(keyNode.start, keyNode.end)) as string;
        ws();
        i++; // ':'
        members.push({ key, keyStart: keyNode.start, value: value() });
        ws();
        if (text[i++] === "}") return { kind: "object", start, end: i, members };
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "array", start, end: i };
      }
      for (;;) {
        value();
        ws();
        if (text[i++] === "]") return { kind: "array", start, end: i };
      }
    }
    if (c === '"') return str();
    while (i < text.length && /[^\s,}\]]/.test(text[i])) i++;
    return { kind: /[-\d]/.test(c) ? "number" : "literal", start, end: i };
  };
  return value();
}

/** The last member named `key` (JSON.parse keeps the last duplicate). */
export function member(node: JsonNode, key: string): JsonMember | undefined {
  const found = (node.members ?? []).filter((m) => m.key === key);
  return found[found.length - 1];
}
