import zlib from 'node:zlib';

/** `zlib.crc32` continues a checksum from Node 20.15 and 22.2 on; absent before. */
const crc32: ((data: Buffer | string, value?: number) => number) | undefined = (
  zlib as { crc32?: (data: Buffer | string, value?: number) => number }
).crc32;

/** A gzip header: deflate, no name, no time, unknown system (RFC 1952). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/**
 * The JSON text of an object whose last field is a time stamp taken when it
 * is sent, and whose other fields are kept between requests.
 *
 * The kept part can be deflated once, too: an answer asked by many (the
 * control-plane page's first page at 100k objects is about a megabyte) is
 * then compressed once per change instead of once per request. Each gzip
 * answer is one ordinary gzip member: the kept part deflated and flushed
 * to a byte boundary, then the stamp's own deflate stream, whose blocks
 * refer to nothing before them, and the checksum of both, continued from
 * the kept part's.
 */
export class StampedJson {
  readonly #stampField: string;
  /** Every other field's JSON text, without the closing `}`. */
  readonly #kept: string;
  #deflated?: { bytes: Buffer; crc: number; length: number };

  constructor(stampField: string, fields: object) {
    this.#stampField = stampField;
    const kept = JSON.stringify({ ...fields, [stampField]: undefined });
    this.#kept = kept.slice(0, -1);
  }

  /** The JSON text, stamped now. */
  text(stamp: string = new Date().toISOString()): string {
    return this.#kept + this.#tail(stamp);
  }

  /**
   * The JSON text, stamped now, gzipped; undefined where this Node cannot
   * continue a checksum (then the text is sent for the server to compress).
   */
  gzip(stamp: string = new Date().toISOString()): Buffer | undefined {
    if (!crc32) return undefined;
    if (!this.#deflated) {
      const kept = Buffer.from(this.#kept);
      this.#deflated = {
        bytes: zlib.deflateRawSync(kept, {
          finishFlush: zlib.constants.Z_SYNC_FLUSH,
        }),
        crc: crc32(kept),
        length: kept.length,
      };
    }
    const { bytes, crc, length } = this.#deflated;
    const tail = Buffer.from(this.#tail(stamp));
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(tail, crc) >>> 0, 0);
    trailer.writeUInt32LE((length + tail.length) % 2 ** 32, 4);
    return Buffer.concat([
      GZIP_HEADER,
      bytes,
      zlib.deflateRawSync(tail),
      trailer,
    ]);
  }

  /** `,"stamp":"…"}`, or without the comma after `{` alone. */
  #tail(stamp: string): string {
    const field = `${JSON.stringify(this.#stampField)}:${JSON.stringify(
      stamp,
    )}}`;
    return this.#kept === '{' ? field : `,${field}`;
  }
}
