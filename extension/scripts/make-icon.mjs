/**
 * Writes assets/extension-icon.png (512x512 RGBA): a rounded square with a gauge whose arc
 * fills to about 70%, drawn pixel by pixel with 4x4 supersampling and encoded with zlib.
 * Run: node scripts/make-icon.mjs
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const SIZE = 512;
const SS = 4;
const CX = SIZE / 2;
const CY = SIZE / 2 + 18;
const RING_OUTER = 170;
const RING_INNER = 128;
const START = (135 * Math.PI) / 180; // the gauge opens at the bottom: 270 degrees of arc
const SPAN = (270 * Math.PI) / 180;
const FILL = 0.7;

function insideRoundedSquare(x, y) {
  const margin = 24;
  const radius = 110;
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= margin && x <= SIZE - margin && y >= margin && y <= SIZE - margin && dx * dx + dy * dy <= radius * radius;
}

function mix(a, b, t) {
  return a.map((v, i) => v + (b[i] - v) * t);
}

/** Colour of one sample point, or null outside the icon. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y)) return null;
  const top = [38, 32, 84];
  const bottom = [18, 16, 40];
  let color = mix(top, bottom, y / SIZE);
  const dx = x - CX;
  const dy = y - CY;
  const r = Math.hypot(dx, dy);
  let angle = Math.atan2(dy, dx) - START;
  while (angle < 0) angle += 2 * Math.PI;
  const onArc = angle <= SPAN;
  if (r >= RING_INNER && r <= RING_OUTER && onArc) {
    const t = angle / SPAN;
    if (t <= FILL) color = mix([250, 204, 72], [244, 96, 54], t / FILL);
    else color = [70, 66, 120];
  }
  // Round caps at both ends of the arc.
  const capR = (RING_OUTER - RING_INNER) / 2;
  const mid = (RING_OUTER + RING_INNER) / 2;
  for (const [a, c] of [
    [START + SPAN, [70, 66, 120]],
    [START, [250, 204, 72]],
    [START + SPAN * FILL, [244, 96, 54]],
  ]) {
    if (Math.hypot(x - (CX + mid * Math.cos(a)), y - (CY + mid * Math.sin(a))) <= capR) color = c;
  }
  // Needle from the centre toward the filled end, and its hub.
  const needleAngle = START + SPAN * FILL;
  const ux = Math.cos(needleAngle);
  const uy = Math.sin(needleAngle);
  const along = dx * ux + dy * uy;
  const across = Math.abs(-dx * uy + dy * ux);
  if (along >= 0 && along <= RING_INNER - 18 && across <= 3 + 12 * (1 - along / RING_INNER)) color = [245, 245, 250];
  if (r <= 26) color = [245, 245, 250];
  return color;
}

function render() {
  const rows = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4);
    for (let x = 0; x < SIZE; x++) {
      let rSum = 0;
      let gSum = 0;
      let bSum = 0;
      let covered = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
          if (!c) continue;
          rSum += c[0];
          gSum += c[1];
          bSum += c[2];
          covered++;
        }
      }
      const o = 1 + x * 4;
      if (covered > 0) {
        row[o] = Math.round(rSum / covered);
        row[o + 1] = Math.round(gSum / covered);
        row[o + 2] = Math.round(bSum / covered);
        row[o + 3] = Math.round((255 * covered) / (SS * SS));
      }
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(raw) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "assets", "extension-icon.png");
fs.writeFileSync(out, png(render()));
console.log(`wrote ${out}`);
