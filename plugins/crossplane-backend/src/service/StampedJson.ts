import zlib from 'node:zlib';

/** `zlib.crc32` continues a checksum from Node 22.2 on; absent before. */
const crc32: ((data: Buffer, value?: number) => number) | undefined = (
  zlib as { crc32?: (data: Buffer, value?: number) => number }
).crc32;

/** A gzip header: deflate, no name, no time, unknown system (RFC 1952). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/**
 * The JSON text of an object whose first field is a time stamp taken when
 * it is sent, and whose other fields are kept between requests.
 *
 * The kept part is also deflated once: an answer asked by many (the
 * control-plane page's first page at 100k objects is about a megabyte) is
 * then compressed once per change instead of once per request. Each gzip
 * answer is one ordinary gzip member: the stamp deflated and flushed to a
 * byte boundary, followed by the kept part's deflate stream, whose blocks
 * refer to nothing before them, and the checksum of both.
 */
export class StampedJson {
  readonly #stampField: string;
  /** Every other field's JSON text, without the opening `{`. */
  readonly #rest: string;
  #restBytes?: Buffer;
  #restDeflated?: Buffer;

  constructor(stampField: string, fields: object) {
    this.#stampField = stampField;
    const rest = JSON.stringify({ ...fields, [stampField]: undefined });
    // After `{"stamp":"…"`: a comma and the other fields, or the end.
    this.#rest = rest === '{}' ? '}' : `,${rest.slice(1)}`;
  }

  /** The JSON text, stamped now. */
  text(stamp: string = new Date().toISOString()): string {
    return this.#head(stamp) + this.#rest;
  }

  /**
   * The JSON text, stamped now, gzipped; undefined where this Node cannot
   * continue a checksum (then the text is sent for the server to compress).
   */
  gzip(stamp: string = new Date().toISOString()): Buffer | undefined {
    if (!crc32) return undefined;
    this.#restBytes ??= Buffer.from(this.#rest);
    this.#restDeflated ??= zlib.deflateRawSync(this.#restBytes);
    const head = Buffer.from(this.#head(stamp));
    const headDeflated = zlib.deflateRawSync(head, {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(this.#restBytes, crc32(head)) >>> 0, 0);
    trailer.writeUInt32LE((head.length + this.#restBytes.length) % 2 ** 32, 4);
    return Buffer.concat([
      GZIP_HEADER,
      headDeflated,
      this.#restDeflated,
      trailer,
    ]);
  }

  #head(stamp: string): string {
    return `{${JSON.stringify(this.#stampField)}:${JSON.stringify(stamp)}`;
  }
}
