// encoding: the WHATWG Encoding API for UTF-8 (TextEncoder, TextDecoder with fatal, ignoreBOM and
// streaming) and the HTML spec's atob/btoa. Installed as globals; also importable:
//   import { TextEncoder, TextDecoder, atob, btoa } from "ext:encoding/encoding.js";
// The byte work is native (op_encoding_*); this file holds the API rules.
import { DOMException, received } from "./dom_exception.js";

const { ops } = globalThis.v8snap.core;

const TypedArrayPrototypeGetSymbolToStringTag = Function.prototype.call.bind(
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)
      .get);
const isUint8Array = (value) => TypedArrayPrototypeGetSymbolToStringTag(value) === "Uint8Array";
const isBufferSource = (value) =>
  ArrayBuffer.isView(value) || value instanceof ArrayBuffer ||
  (typeof SharedArrayBuffer === "function" && value instanceof SharedArrayBuffer);

const customInspect = Symbol.for("nodejs.util.inspect.custom");

export class TextEncoder {
  get encoding() {
    return "utf-8";
  }

  // A Uint8Array of the UTF-8 bytes of String(input); lone surrogates become U+FFFD.
  encode(input = "") {
    return ops.op_encoding_encode(`${input}`);
  }

  // Writes as much of `source` as fits into `destination` (whole characters only).
  encodeInto(source, destination) {
    if (!isUint8Array(destination)) {
      throw new TypeError(
        `The "dest" argument must be an instance of Uint8Array. ${received(destination)}`);
    }
    const [read, written] = ops.op_encoding_encode_into(`${source}`, destination);
    return { read, written };
  }

  [customInspect](depth, options, inspect) {
    return `TextEncoder ${inspect({ encoding: this.encoding }, options)}`;
  }
}
Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, {
  configurable: true,
  value: "TextEncoder",
});

// The labels of UTF-8 in the Encoding Standard. Other encodings are not supported.
const utf8Labels = new Set([
  "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8",
]);

// How many bytes at the end of `bytes` (0-3) start a UTF-8 sequence that is valid so far but
// not finished: a streaming decode keeps them for the next chunk.
function incompleteTail(bytes) {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const byte = bytes[n - back];
    if (byte < 0x80) return 0;
    if (byte < 0xC0) continue; // A continuation byte: look further back for the lead.
    if (byte < 0xC2 || byte > 0xF4) return 0; // Never a lead: an error to decode now.
    const length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
    if (back >= length) return 0; // Complete.
    if (back >= 2) {
      const second = bytes[n - back + 1];
      const lower = byte === 0xE0 ? 0xA0 : byte === 0xF0 ? 0x90 : 0x80;
      const upper = byte === 0xED ? 0x9F : byte === 0xF4 ? 0x8F : 0xBF;
      if (second < lower || second > upper) return 0;
    }
    return back;
  }
  return 0;
}

function toUint8Array(input) {
  return ArrayBuffer.isView(input)
    ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
    : new Uint8Array(input);
}

export class TextDecoder {
  #fatal;
  #ignoreBOM;
  #bomSeen = false;
  #pending = null; // Bytes of an unfinished sequence held back by a streaming decode.
  #streaming = false;

  constructor(label = "utf-8", options = {}) {
    const name = `${label}`.trim().toLowerCase();
    if (!utf8Labels.has(name)) {
      throw new RangeError(`The "${label}" encoding is not supported`);
    }
    if (options !== null && typeof options !== "object" && typeof options !== "function") {
      throw new TypeError(`The "options" argument must be of type object. ${received(options)}`);
    }
    this.#fatal = Boolean(options?.fatal);
    this.#ignoreBOM = Boolean(options?.ignoreBOM);
  }

  get encoding() {
    return "utf-8";
  }

  get fatal() {
    return this.#fatal;
  }

  get ignoreBOM() {
    return this.#ignoreBOM;
  }

  // Decodes `input` (an ArrayBuffer, SharedArrayBuffer or view). With { stream: true } an
  // unfinished trailing sequence waits for the next call. Invalid bytes become U+FFFD, or throw
  // a TypeError when the decoder is fatal.
  decode(input = undefined, options = undefined) {
    if (input !== undefined && !isBufferSource(input)) {
      throw new TypeError('The "input" argument must be an instance of ArrayBuffer, ' +
                          `SharedArrayBuffer or ArrayBufferView. ${received(input)}`);
    }
    const stream = Boolean(options !== null && typeof options === "object" && options.stream);
    if (!this.#streaming) {
      this.#bomSeen = false;
      this.#pending = null;
    }
    this.#streaming = stream;

    let bytes = input === undefined ? new Uint8Array(0) : input;
    if (this.#pending !== null || stream) {
      bytes = toUint8Array(bytes);
      if (this.#pending !== null) {
        const joined = new Uint8Array(this.#pending.length + bytes.length);
        joined.set(this.#pending);
        joined.set(bytes, this.#pending.length);
        bytes = joined;
        this.#pending = null;
      }
      if (stream) {
        const tail = incompleteTail(bytes);
        if (tail !== 0) {
          this.#pending = bytes.slice(bytes.length - tail);
          bytes = bytes.subarray(0, bytes.length - tail);
        }
      }
    }

    let text = ops.op_encoding_decode(bytes, this.#fatal);
    if (text === undefined) {
      this.#pending = null;
      this.#streaming = false;
      const error = new TypeError("The encoded data was not valid for encoding utf-8");
      error.code = "ERR_ENCODING_INVALID_ENCODED_DATA";
      throw error;
    }
    if (!this.#ignoreBOM && !this.#bomSeen && text.length !== 0) {
      this.#bomSeen = true;
      if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1);
    }
    return text;
  }

  [customInspect](depth, options, inspect) {
    const fields = { encoding: this.encoding, fatal: this.fatal, ignoreBOM: this.ignoreBOM };
    return `TextDecoder ${inspect(fields, options)}`;
  }
}
Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, {
  configurable: true,
  value: "TextDecoder",
});

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const base64Values = new Int8Array(128).fill(-1);
for (let i = 0; i < base64Alphabet.length; i++) base64Values[base64Alphabet.charCodeAt(i)] = i;

// Binary strings are built from char codes in chunks (one call per chunk, not per byte).
const kChunk = 8192;
function fromCharCodes(codes) {
  let out = "";
  for (let i = 0; i < codes.length; i += kChunk) {
    out += String.fromCharCode.apply(null, codes.subarray(i, i + kChunk));
  }
  return out;
}

function missingInput() {
  const error = new TypeError('The "input" argument must be specified');
  error.code = "ERR_MISSING_ARGS";
  return error;
}

// Base64 of a binary string (every character at most U+00FF).
export function btoa(input) {
  if (arguments.length === 0) throw missingInput();
  const data = `${input}`;
  const out = new Uint8Array(Math.ceil(data.length / 3) * 4);
  let o = 0;
  for (let i = 0; i < data.length; i += 3) {
    const a = data.charCodeAt(i);
    const b = i + 1 < data.length ? data.charCodeAt(i + 1) : 0;
    const c = i + 2 < data.length ? data.charCodeAt(i + 2) : 0;
    if (a > 0xFF || b > 0xFF || c > 0xFF) {
      throw new DOMException("Invalid character", "InvalidCharacterError");
    }
    out[o++] = base64Alphabet.charCodeAt(a >> 2);
    out[o++] = base64Alphabet.charCodeAt(((a & 0x03) << 4) | (b >> 4));
    out[o++] = i + 1 < data.length ? base64Alphabet.charCodeAt(((b & 0x0F) << 2) | (c >> 6)) : 61;
    out[o++] = i + 2 < data.length ? base64Alphabet.charCodeAt(c & 0x3F) : 61;
  }
  return fromCharCodes(out);
}

// The binary string encoded by `input`, with the HTML spec's forgiving base64 rules: ASCII
// whitespace is ignored and padding is optional. Errors are InvalidCharacterError
// DOMExceptions.
export function atob(input) {
  if (arguments.length === 0) throw missingInput();
  let data = `${input}`.replace(/[\t\n\f\r ]/g, "");
  if (data.length % 4 === 0) {
    if (data.endsWith("==")) {
      data = data.slice(0, -2);
    } else if (data.endsWith("=")) {
      data = data.slice(0, -1);
    }
  }
  const values = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    const value = code < 128 ? base64Values[code] : -1;
    if (value < 0) throw new DOMException("Invalid character", "InvalidCharacterError");
    values[i] = value;
  }
  if (data.length % 4 === 1) {
    throw new DOMException("The string to be decoded is not correctly encoded.",
                           "InvalidCharacterError");
  }
  const out = new Uint8Array(Math.floor(data.length * 3 / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= values.length; i += 4) {
    const bits = (values[i] << 18) | (values[i + 1] << 12) | (values[i + 2] << 6) | values[i + 3];
    out[o++] = bits >> 16;
    out[o++] = (bits >> 8) & 0xFF;
    out[o++] = bits & 0xFF;
  }
  const rest = values.length - i;
  if (rest === 2) {
    out[o++] = (values[i] << 2) | (values[i + 1] >> 4);
  } else if (rest === 3) {
    const bits = (values[i] << 10) | (values[i + 1] << 4) | (values[i + 2] >> 2);
    out[o++] = bits >> 8;
    out[o++] = bits & 0xFF;
  }
  return fromCharCodes(out);
}

for (const [name, value] of Object.entries({ TextEncoder, TextDecoder, atob, btoa })) {
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    enumerable: name === "atob" || name === "btoa",
    configurable: true,
  });
}
