// crypto: the Web Crypto API's random part, crypto.getRandomValues() and crypto.randomUUID(),
// from the kernel's CSPRNG (getrandom(2)). Installed as globalThis.crypto (and the Crypto
// class); also importable:
//   import { crypto } from "ext:crypto/crypto.js";
// No random state lives in JS: every call asks the op, and the op refuses while a snapshot is
// built, so nothing random is ever frozen into a snapshot. crypto.subtle is not provided.
import { DOMException } from "ext:encoding/dom_exception.js";

const { ops } = globalThis.v8snap.core;

const TypedArrayPrototypeGetSymbolToStringTag = Function.prototype.call.bind(
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)
      .get);

// Typed arrays getRandomValues accepts: the integer ones.
const integerArrays = new Set([
  "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
  "Uint32Array", "BigInt64Array", "BigUint64Array",
]);

const kMaxBytes = 65536;
const kConstruct = Symbol("kConstruct");

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// Whether a value is a real Crypto object (set in the class's static block, where the private
// brand is visible).
let isCrypto;

export class Crypto {
  #brand = true;

  static {
    isCrypto = (value) => value !== null && typeof value === "object" && #brand in value;
  }

  constructor(key) {
    if (key !== kConstruct) {
      const error = new TypeError("Illegal constructor");
      error.code = "ERR_ILLEGAL_CONSTRUCTOR";
      throw error;
    }
  }

  // Fills `array` (an integer typed array of at most 65,536 bytes) with random values and
  // returns it.
  getRandomValues(array) {
    checkThis(this);
    if (arguments.length === 0) {
      const error = new TypeError("Failed to execute 'getRandomValues' on 'Crypto': " +
                                  "1 argument required, but only 0 present.");
      error.code = "ERR_MISSING_ARGS";
      throw error;
    }
    if (!integerArrays.has(TypedArrayPrototypeGetSymbolToStringTag(array))) {
      throw new DOMException("The data argument must be an integer-type TypedArray",
                             "TypeMismatchError");
    }
    if (array.byteLength > kMaxBytes) {
      throw new DOMException("The requested length exceeds 65,536 bytes", "QuotaExceededError");
    }
    ops.op_crypto_get_random_values(array);
    return array;
  }

  // A random (version 4) UUID: "xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx", N one of 8, 9, a, b.
  randomUUID() {
    checkThis(this);
    const bytes = new Uint8Array(16);
    ops.op_crypto_get_random_values(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    return `${hex[bytes[0]]}${hex[bytes[1]]}${hex[bytes[2]]}${hex[bytes[3]]}-` +
           `${hex[bytes[4]]}${hex[bytes[5]]}-${hex[bytes[6]]}${hex[bytes[7]]}-` +
           `${hex[bytes[8]]}${hex[bytes[9]]}-${hex[bytes[10]]}${hex[bytes[11]]}` +
           `${hex[bytes[12]]}${hex[bytes[13]]}${hex[bytes[14]]}${hex[bytes[15]]}`;
  }
}
Object.defineProperty(Crypto.prototype, Symbol.toStringTag, {
  configurable: true,
  value: "Crypto",
});

function checkThis(self) {
  if (!isCrypto(self)) {
    const error = new TypeError('Value of "this" must be of type Crypto');
    error.code = "ERR_INVALID_THIS";
    throw error;
  }
}

export const crypto = new Crypto(kConstruct);

Object.defineProperty(globalThis, "Crypto", {
  value: Crypto,
  writable: true,
  enumerable: false,
  configurable: true,
});
Object.defineProperty(globalThis, "crypto", {
  value: crypto,
  writable: true,
  enumerable: true,
  configurable: true,
});
