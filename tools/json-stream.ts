/*
 * Reads the documents replay is given a chunk at a time, so that memory stays flat whatever the file size: a
 * CloudTrail log file `{"Records": [...]}` yields its records one by one, a top-level array its elements, and any
 * other top-level object its fields (small: a digest file, one EventBridge event). Only one value is held at a time.
 * JSON's structural characters are ASCII and never occur inside a UTF-8 multi-byte sequence, so the scan works on
 * bytes and a chunk may end anywhere.
 */

export interface JsonStreamHandlers {
  /** An element of the top-level array, or of the "Records" array of a top-level object; `index` counts from 0. */
  readonly item: (text: string, index: number) => void;
  /** A field of the top-level object other than an array "Records", parsed. */
  readonly field: (key: string, value: unknown) => void;
}

/** Thrown when the bytes are not a JSON document of the shapes above (truncated, a bare scalar, too large a value). */
export class JsonStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonStreamError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Splits a JSON document into top-level items and fields as its bytes arrive. A value larger than `maxValueBytes`
 * (one record, one field) is refused: that is not a log file, and holding it would defeat the point.
 */
export class JsonItemStream {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private top: 'array' | 'object' | undefined;
  private finished = false;
  /** In the top-level object: expecting a key (true) or a value (false). */
  private expectKey = true;
  private key: string | undefined;
  /** Depth of the container whose children are captured: 1 for the top level, 2 inside "Records". */
  private itemDepth = 1;
  private inRecords = false;
  private capturing: 'key' | 'value' | undefined;
  private pieces: Buffer[] = [];
  private captured = 0;
  private index = 0;

  constructor(
    private readonly handlers: JsonStreamHandlers,
    private readonly maxValueBytes = 256 * 1024 * 1024,
  ) {}

  write(chunk: Buffer): void {
    let start = this.capturing ? 0 : -1;
    let backslash = -2;
    for (let at = 0; at < chunk.length; at++) {
      const byte = chunk[at];
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        if (byte !== QUOTE && byte !== BACKSLASH) {
          // Most of a log file is inside strings: jump to the next quote or backslash rather than step to it.
          const quote = chunk.indexOf(QUOTE, at);
          // The next backslash is looked up once and kept until passed: searching each string to the chunk's end
          // for one would cost the chunk's length per string.
          if (backslash !== -1 && backslash < at) backslash = chunk.indexOf(BACKSLASH, at);
          const next = quote < 0 ? backslash : backslash < 0 ? quote : Math.min(quote, backslash);
          if (next < 0) break;
          at = next - 1;
          continue;
        }
        if (byte === BACKSLASH) this.escaped = true;
        else {
          this.inString = false;
          if (this.capturing === 'key' && this.depth === 1) {
            this.finish(chunk, start, at + 1);
            start = -1;
          }
        }
        continue;
      }
      if (isSpace(byte)) continue;
      if (this.finished) throw new JsonStreamError('unexpected data after the end of the JSON document');

      // A value starts wherever a child of the captured container starts.
      if (this.depth === this.itemDepth && !this.capturing && byte !== COMMA && byte !== CLOSE_ARRAY && byte !== CLOSE_OBJECT && byte !== COLON) {
        if (this.top === 'object' && !this.inRecords) {
          if (this.expectKey) {
            if (byte !== QUOTE) throw new JsonStreamError(`expected a field name in the top-level object, got "${String.fromCharCode(byte)}"`);
            this.capturing = 'key';
          } else if (this.key === 'Records' && byte === OPEN_ARRAY) {
            this.inRecords = true;
            this.itemDepth = 2;
          } else {
            this.capturing = 'value';
          }
        } else {
          this.capturing = 'value';
        }
        if (this.capturing) start = at;
      }

      switch (byte) {
        case QUOTE:
          this.inString = true;
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (this.depth === 0) {
            if (this.top !== undefined) throw new JsonStreamError('unexpected data after the end of the JSON document');
            this.top = byte === OPEN_ARRAY ? 'array' : 'object';
          }
          this.depth++;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          if (this.depth === 0) throw new JsonStreamError(`unexpected "${String.fromCharCode(byte)}"`);
          if (this.depth === this.itemDepth && this.capturing === 'value') {
            this.finish(chunk, start, at);
            start = -1;
          }
          this.depth--;
          if (this.inRecords && this.depth === 1) {
            // The end of "Records": back to the fields of the top-level object.
            this.inRecords = false;
            this.itemDepth = 1;
            this.expectKey = true;
          }
          if (this.depth === 0) this.finished = true;
          break;
        case COMMA:
          if (this.depth === this.itemDepth && this.capturing === 'value') {
            this.finish(chunk, start, at);
            start = -1;
          }
          if (this.depth === 1 && this.top === 'object') this.expectKey = true;
          break;
        case COLON:
          if (this.depth === 1 && this.top === 'object' && !this.inRecords) this.expectKey = false;
          break;
        default:
          if (this.depth === 0) throw new JsonStreamError('expected a JSON object or array');
      }
    }
    if (this.capturing && start >= 0) this.keep(chunk.subarray(start));
  }

  /** Call after the last chunk: throws when the document ended early. */
  end(): void {
    if (this.top === undefined) throw new JsonStreamError('empty file: expected a JSON object or array');
    if (!this.finished || this.inString) throw new JsonStreamError('unexpected end of JSON input (the file ends before its JSON document does)');
  }

  private keep(piece: Buffer): void {
    this.captured += piece.length;
    if (this.captured > this.maxValueBytes) {
      throw new JsonStreamError(`a value larger than ${Math.round(this.maxValueBytes / 1024 / 1024)} MB: not a CloudTrail log file`);
    }
    this.pieces.push(piece);
  }

  private finish(chunk: Buffer, start: number, end: number): void {
    this.keep(chunk.subarray(Math.max(start, 0), end));
    const text = (this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces)).toString('utf8');
    const kind = this.capturing;
    this.pieces = [];
    this.captured = 0;
    this.capturing = undefined;
    if (kind === 'key') {
      this.key = JSON.parse(text) as string;
      return;
    }
    if (this.top === 'array' || this.inRecords) {
      this.handlers.item(text, this.index++);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new JsonStreamError(`field "${this.key}": ${(error as Error).message}`);
      }
      this.handlers.field(this.key as string, value);
    }
  }
}
