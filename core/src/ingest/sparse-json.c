/*
 * The byte work of sparse-json.ts, compiled to WebAssembly (scripts/build-wasm.ts writes
 * sparse-json-wasm.ts from this file): checks that a line is one JSON value and finds, for
 * each key of a shape, where its value is. sparse-json.ts builds the values from those spans.
 * It also finds bytes in a chunk (index_of), for a reader looking for the lines to parse.
 *
 * The rules are sparse-json.ts's: the structure is checked as JSON.parse checks it; a string
 * ends at the first quote not escaped by a backslash, and its contents are taken as written
 * unless its value is built (then sparse-json.ts checks it as JSON.parse does); duplicate keys
 * resolve as in JSON.parse, the last one winning.
 *
 * No libc: clang --target=wasm32 -nostdlib. Memory is laid out by sparse-json.ts.
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef unsigned char u8;

/* A shape node: an object whose keys `entry_count` entries from `first_entry` list; the
   slots of every key below it are [first_slot, end_slot). */
typedef struct {
  int32_t first_entry, entry_count, first_slot, end_slot;
} Node;

/* One key of a node: its UTF-8 name, its slot, and its node (-1: the value is built whole). */
typedef struct {
  int32_t name_offset, name_length, slot, node;
} Entry;

/* What a line holds at one key of the shape (sparse-json.ts reads these by kind). */
enum Kind {
  ABSENT = 0,
  /* Any value sparse-json.ts builds with JSON.parse (which may reject it). */
  VALUE = 1,
  /* An object: its shaped keys are in the node's slots. */
  OBJECT = 2,
  /* A string without escapes or control characters, ASCII only or not. */
  ASCII_STRING = 3,
  UTF8_STRING = 4,
  /* Digits only, at most 15 (exact in a double): `number` holds the value. */
  INTEGER = 5,
  TRUE_LITERAL = 6,
  FALSE_LITERAL = 7,
  NULL_LITERAL = 8,
};

/* `number`: the value of an INTEGER; for an ASCII_STRING, the time of a UTC timestamp
   (utc_timestamp_ms), NaN for any other string. */
typedef struct {
  int32_t kind, start, end, unused;
  double number;
} Slot;

#define MAX_INTEGER_DIGITS 15
/* A read past the end sees this: no comparison with a byte accepts it. */
#define PAST_END 256
#define AT(i) ((i) < end ? (int)p[(i)] : PAST_END)

/* One line's read: set by read_line, used by every function below. */
static const u8 *p;
static int32_t end;

/* The open containers of skip_value, one bit each (1: an object), so a line nested deeper
   than any real one still fits: a line nested deeper than MAX_DEPTH is reported as not JSON. */
#define MAX_DEPTH (8 << 20)
static u8 containers[MAX_DEPTH / 8];
static const Node *nodes;
static const Entry *entries;
static Slot *slots;
/* Whether a slot of this line was given kind VALUE (whose value only JSON.parse can check). */
static int values_to_check;

static inline int is_whitespace(int c) { return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09; }
static inline int is_digit(int c) { return c >= '0' && c <= '9'; }

static int32_t skip_whitespace(int32_t i) {
  while (is_whitespace(AT(i))) i++;
  return i;
}

/* Where a quote or a backslash is among the 64 bytes at p + i, one bit each. */
static inline uint64_t quotes_and_backslashes(int32_t i) {
  const v128_t quote = wasm_i8x16_splat('"');
  const v128_t backslash = wasm_i8x16_splat('\\');
  uint64_t mask = 0;
  for (int k = 0; k < 4; k++) {
    v128_t bytes = wasm_v128_load(p + i + 16 * k);
    mask |= (uint64_t)wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(bytes, quote), wasm_i8x16_eq(bytes, backslash)))
            << (16 * k);
  }
  return mask;
}

/* From after an opening quote to after its closing one, 64 bytes at a time (most of a line is
   in long strings); -1 if none. A backslash escapes the byte after it. */
static int32_t skip_string(int32_t i) {
  while (i + 64 <= end) {
    uint64_t found = quotes_and_backslashes(i);
    int32_t next = i + 64;
    while (found) {
      int32_t at = i + __builtin_ctzll(found);
      if (p[at] == '"') return at + 1;
      int32_t after = at + 2; /* past the escaped byte */
      if (after >= i + 64) {
        next = after;
        break;
      }
      found &= ~0ull << (after - i);
    }
    i = next;
  }
  for (; i < end; i++) {
    if (p[i] == '"') return i + 1;
    if (p[i] == '\\') i++;
  }
  return -1;
}

/* The colon after a key (from after its closing quote); returns where the value starts. */
static int32_t skip_key_end(int32_t i) {
  if (AT(i) != ':') {
    i = skip_whitespace(i);
    if (AT(i) != ':') return -1;
  }
  i++;
  return is_whitespace(AT(i)) ? skip_whitespace(i) : i;
}

static int32_t skip_key(int32_t i) {
  if (AT(i) != '"') return -1;
  i = skip_string(i + 1);
  return i < 0 ? -1 : skip_key_end(i);
}

static int32_t skip_digits(int32_t i) {
  while (is_digit(AT(i))) i++;
  return i;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int32_t skip_number(int32_t i) {
  if (AT(i) == '-') i++;
  if (AT(i) == '0') i++;
  else if (is_digit(AT(i))) i = skip_digits(i);
  else return -1;
  if (AT(i) == '.') {
    if (!is_digit(AT(i + 1))) return -1;
    i = skip_digits(i + 1);
  }
  if (AT(i) == 'e' || AT(i) == 'E') {
    i++;
    if (AT(i) == '+' || AT(i) == '-') i++;
    if (!is_digit(AT(i))) return -1;
    i = skip_digits(i);
  }
  return i;
}

static int32_t skip_literal(int32_t i) {
  const char *literal = AT(i) == 't' ? "true" : AT(i) == 'f' ? "false" : AT(i) == 'n' ? "null" : 0;
  if (!literal) return -1;
  int32_t k = 0;
  for (; literal[k]; k++)
    if (AT(i + k) != (u8)literal[k]) return -1;
  return i + k;
}

/* One whole value (any depth) without recursion; returns the offset after it, or -1. */
static int32_t skip_value(int32_t i) {
  int32_t depth = 0;
  for (;;) {
    int c = AT(i); /* a value starts at i */
    if (c == '"') {
      i = skip_string(i + 1);
      if (i < 0) return -1;
    } else if (c == '{' || c == '[') {
      i++;
      if (is_whitespace(AT(i))) i = skip_whitespace(i);
      if (AT(i) == (c == '{' ? '}' : ']')) {
        i++;
      } else {
        if (depth == MAX_DEPTH) return -1;
        if (c == '{') containers[depth >> 3] |= (u8)(1 << (depth & 7));
        else containers[depth >> 3] &= (u8)~(1 << (depth & 7));
        depth++;
        if (c == '{') {
          i = skip_key(i);
          if (i < 0) return -1;
        }
        continue;
      }
    } else {
      i = c == '-' || is_digit(c) ? skip_number(i) : skip_literal(i);
      if (i < 0) return -1;
    }
    for (;;) { /* after a value: close containers or go on to the next element */
      if (depth == 0) return i;
      int next = AT(i);
      if (is_whitespace(next)) {
        i = skip_whitespace(i);
        next = AT(i);
      }
      int in_object = containers[(depth - 1) >> 3] >> ((depth - 1) & 7) & 1;
      if (next == ',') {
        i++;
        if (is_whitespace(AT(i))) i = skip_whitespace(i);
        if (in_object) {
          i = skip_key(i);
          if (i < 0) return -1;
        }
        break;
      }
      if (next != (in_object ? '}' : ']')) return -1;
      depth--;
      i++;
    }
  }
}

static int hex_digit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The code unit of \uXXXX at i (the 'u'), or -1. */
static int32_t escaped_unit(int32_t i, int32_t to) {
  if (i + 4 >= to) return -1;
  int32_t unit = 0;
  for (int k = 1; k <= 4; k++) {
    int digit = hex_digit(p[i + k]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/* Appends code point `cp` as UTF-8 to out[*length], if it fits in `capacity`. */
static int put_utf8(u8 *out, int32_t *length, int32_t capacity, int32_t cp) {
  int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  if (*length + n > capacity) return 0;
  u8 *at = out + *length;
  *length += n;
  if (n == 1) {
    at[0] = (u8)cp;
    return 1;
  }
  for (int k = n - 1; k > 0; k--, cp >>= 6) at[k] = (u8)(0x80 | (cp & 0x3f));
  at[0] = (u8)((0xf00 >> n) | cp); /* 0xc0, 0xe0 or 0xf0: n leading ones */
  return 1;
}

/*
 * Whether the key string [from, to) (between its quotes) with escapes means `name`: what
 * JSON.parse of the key would compare. A key JSON.parse rejects means no name; so does a
 * lone surrogate (no shape key holds one).
 */
static int escaped_key_is(int32_t from, int32_t to, const u8 *name, int32_t name_length) {
  u8 decoded[256];
  int32_t length = 0;
  if (name_length > (int32_t)sizeof decoded) return 0;
  for (int32_t i = from; i < to; i++) {
    int c = p[i];
    if (c < 0x20) return 0;
    if (c != '\\') {
      if (length >= name_length) return 0;
      decoded[length++] = (u8)c;
      continue;
    }
    if (++i >= to) return 0;
    int32_t cp;
    switch (p[i]) {
      case '"': cp = '"'; break;
      case '\\': cp = '\\'; break;
      case '/': cp = '/'; break;
      case 'b': cp = '\b'; break;
      case 'f': cp = '\f'; break;
      case 'n': cp = '\n'; break;
      case 'r': cp = '\r'; break;
      case 't': cp = '\t'; break;
      case 'u':
        cp = escaped_unit(i, to);
        if (cp < 0) return 0;
        i += 4;
        if (cp >= 0xdc00 && cp <= 0xdfff) return 0;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          if (i + 2 >= to || p[i + 1] != '\\' || p[i + 2] != 'u') return 0;
          int32_t low = escaped_unit(i + 2, to);
          if (low < 0xdc00 || low > 0xdfff) return 0;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          i += 6;
        }
        break;
      default: return 0;
    }
    if (!put_utf8(decoded, &length, name_length, cp)) return 0;
  }
  if (length != name_length) return 0;
  for (int32_t k = 0; k < length; k++)
    if (decoded[k] != name[k]) return 0;
  return 1;
}

/* The node's entry for the key string [from, to) (between its quotes), or 0. */
static const Entry *wanted_key(const Node *node, int32_t from, int32_t to) {
  const Entry *first = entries + node->first_entry;
  const Entry *last = first + node->entry_count;
  for (const Entry *entry = first; entry < last; entry++) {
    if (entry->name_length != to - from) continue;
    const u8 *name = (const u8 *)(uintptr_t)entry->name_offset;
    int32_t k = 0;
    while (k < to - from && p[from + k] == name[k]) k++;
    if (k == to - from) return entry;
  }
  int32_t i = from;
  while (i < to && p[i] != '\\') i++;
  if (i == to) return 0;
  /* An escaped key may still name a wanted one ("us\u0061ge"). */
  for (const Entry *entry = first; entry < last; entry++)
    if (escaped_key_is(from, to, (const u8 *)(uintptr_t)entry->name_offset, entry->name_length)) return entry;
  return 0;
}

/* The number written by `count` ASCII digits at `at`, or -1 if any is not a digit. */
static int32_t digits_at(int32_t at, int32_t count) {
  int32_t value = 0;
  for (int32_t i = at; i < at + count; i++) {
    if (!is_digit(p[i])) return -1;
    value = value * 10 + (p[i] - '0');
  }
  return value;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar; a day past the month's
   end runs on into the next month, as in Date.UTC (Hinnant's days_from_civil). */
static double days_from_civil(int32_t year, int32_t month, int32_t day) {
  year -= month <= 2;
  int32_t era = (year >= 0 ? year : year - 399) / 400;
  int32_t year_of_era = year - era * 400;
  int32_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  int32_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return (double)era * 146097 + day_of_era - 719468;
}

/* The time of the string [from, to) (between its quotes) when it is `2026-11-20T10:00:00.000Z`,
   the form Claude Code writes, with fields in range, as Date.parse reads it; else NaN. */
static double utc_timestamp_ms(int32_t from, int32_t to) {
  const double not_one = __builtin_nan("");
  if (to - from != 24) return not_one;
  if (p[from + 4] != '-' || p[from + 7] != '-' || p[from + 10] != 'T' || p[from + 13] != ':') return not_one;
  if (p[from + 16] != ':' || p[from + 19] != '.' || p[from + 23] != 'Z') return not_one;
  int32_t year = digits_at(from, 4), month = digits_at(from + 5, 2), day = digits_at(from + 8, 2);
  int32_t hour = digits_at(from + 11, 2), minute = digits_at(from + 14, 2), second = digits_at(from + 17, 2);
  int32_t millisecond = digits_at(from + 20, 3);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31) return not_one;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millisecond < 0)
    return not_one;
  return days_from_civil(year, month, day) * 86400000.0 + hour * 3600000.0 + minute * 60000.0 + second * 1000.0 +
         millisecond;
}

/* The kind of the value [from, to), which skip_value accepted; fills `slot`. */
static void classify(Slot *slot, int32_t from, int32_t to) {
  slot->kind = VALUE;
  slot->start = from;
  slot->end = to;
  int c = p[from];
  if (c == '"') {
    int ascii = 1;
    for (int32_t i = from + 1; i < to - 1; i++) {
      if (p[i] == '\\' || p[i] < 0x20) {
        values_to_check = 1;
        return;
      }
      if (p[i] >= 0x80) ascii = 0;
    }
    slot->kind = ascii ? ASCII_STRING : UTF8_STRING;
    if (ascii) slot->number = utc_timestamp_ms(from + 1, to - 1);
  } else if (is_digit(c) && to - from <= MAX_INTEGER_DIGITS) {
    double value = 0;
    for (int32_t i = from; i < to; i++) {
      if (!is_digit(p[i])) {
        values_to_check = 1;
        return;
      }
      value = value * 10 + (p[i] - '0');
    }
    slot->kind = INTEGER;
    slot->number = value;
  } else if (c == 't' || c == 'f' || c == 'n') {
    slot->kind = c == 't' ? TRUE_LITERAL : c == 'f' ? FALSE_LITERAL : NULL_LITERAL;
  } else {
    values_to_check = 1;
  }
}

static int32_t read_object(int32_t at, const Node *node);

/* The value at `at` for `slot`: an object read by `node` (when there is one), else whole. */
static int32_t read_shaped(int32_t at, int32_t slot, int32_t node) {
  if (node >= 0 && AT(at) == '{') {
    const Node *shape = nodes + node;
    /* A duplicate key starts over: the keys of an earlier copy are gone, as in JSON.parse. */
    for (int32_t s = shape->first_slot; s < shape->end_slot; s++) slots[s].kind = ABSENT;
    int32_t after = read_object(at, shape);
    if (after < 0) return -1;
    slots[slot].kind = OBJECT;
    return after;
  }
  int32_t after = skip_value(at);
  if (after < 0) return -1;
  classify(slots + slot, at, after);
  return after;
}

/* An object, recording the keys of `node` in their slots and skipping the others. */
static int32_t read_object(int32_t at, const Node *node) {
  int32_t i = skip_whitespace(at + 1);
  if (AT(i) == '}') return i + 1;
  for (;;) {
    if (AT(i) != '"') return -1;
    int32_t key_end = skip_string(i + 1);
    if (key_end < 0) return -1;
    const Entry *wanted = wanted_key(node, i + 1, key_end - 1);
    i = skip_key_end(key_end);
    if (i < 0) return -1;
    i = wanted ? read_shaped(i, wanted->slot, wanted->node) : skip_value(i);
    if (i < 0) return -1;
    if (is_whitespace(AT(i))) i = skip_whitespace(i);
    int c = AT(i);
    if (c == '}') return i + 1;
    if (c != ',') return -1;
    i = skip_whitespace(i + 1);
  }
}

/*
 * Reads the line [line, line + length) by the shape whose root is node 0 (its value in slot
 * 0). Returns 0 when the bytes are not one JSON value; else 1, or 3 when a slot was given kind
 * VALUE (only JSON.parse can say whether its value builds).
 */
__attribute__((export_name("read_line"))) int32_t read_line(const u8 *line, int32_t length, const Node *shape_nodes,
                                                            const Entry *shape_entries, Slot *shape_slots) {
  p = line;
  end = length;
  nodes = shape_nodes;
  entries = shape_entries;
  slots = shape_slots;
  values_to_check = 0;
  int32_t after = read_shaped(skip_whitespace(0), 0, 0);
  if (after < 0 || skip_whitespace(after) != end) return 0;
  return values_to_check ? 3 : 1;
}

static inline int matches(const u8 *at, const u8 *needle, int32_t length) {
  for (int32_t k = 0; k < length; k++)
    if (at[k] != needle[k]) return 0;
  return 1;
}

/*
 * The offset of the first `needle` (`length` >= 1 bytes) in `haystack` from `from` to `stop`,
 * or -1: Buffer.indexOf's answer. Candidates are the positions where the needle's bytes at
 * `first_probe` and `second_probe` match, 64 positions at a time (a block without one costs
 * a few vector operations); the caller picks its rarest bytes as probes.
 */
__attribute__((export_name("index_of"))) int32_t index_of(const u8 *haystack, int32_t from, int32_t stop,
                                                          const u8 *needle, int32_t length, int32_t first_probe,
                                                          int32_t second_probe) {
  const v128_t first = wasm_i8x16_splat(needle[first_probe]);
  const v128_t second = wasm_i8x16_splat(needle[second_probe]);
  int32_t i = from;
  for (; i + 64 + length <= stop; i += 64) {
    v128_t found[4];
    for (int k = 0; k < 4; k++) {
      const u8 *block = haystack + i + 16 * k;
      found[k] = wasm_v128_and(wasm_i8x16_eq(wasm_v128_load(block + first_probe), first),
                               wasm_i8x16_eq(wasm_v128_load(block + second_probe), second));
    }
    if (!wasm_v128_any_true(wasm_v128_or(wasm_v128_or(found[0], found[1]), wasm_v128_or(found[2], found[3])))) continue;
    uint64_t candidates = 0;
    for (int k = 0; k < 4; k++) candidates |= (uint64_t)wasm_i8x16_bitmask(found[k]) << (16 * k);
    for (; candidates != 0; candidates &= candidates - 1) {
      int32_t at = i + __builtin_ctzll(candidates);
      if (matches(haystack + at, needle, length)) return at;
    }
  }
  for (; i + length <= stop; i++)
    if (matches(haystack + i, needle, length)) return i;
  return -1;
}
