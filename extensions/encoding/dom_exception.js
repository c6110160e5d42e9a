// encoding/dom_exception.js: the WebIDL DOMException, which atob/btoa (and crypto, performance)
// throw, and received(), the "Received ..." tail of their argument errors. An ES module;
// DOMException is also installed as globalThis.DOMException:
//   import { DOMException, received } from "ext:encoding/dom_exception.js";
// Behaves like Node's: `name`, `message` and `code` are prototype getters, the prototype chain
// goes through Error.prototype (so `instanceof Error` holds), and the stack is captured at
// construction, so console.log prints "DOMException [InvalidCharacterError]: message".

import { inspect } from "ext:console/console.js";

// Legacy numeric codes, by name (WebIDL's error names table).
const codes = {
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InUseAttributeError: 10,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

const constantNames = {
  INDEX_SIZE_ERR: 1, DOMSTRING_SIZE_ERR: 2, HIERARCHY_REQUEST_ERR: 3, WRONG_DOCUMENT_ERR: 4,
  INVALID_CHARACTER_ERR: 5, NO_DATA_ALLOWED_ERR: 6, NO_MODIFICATION_ALLOWED_ERR: 7,
  NOT_FOUND_ERR: 8, NOT_SUPPORTED_ERR: 9, INUSE_ATTRIBUTE_ERR: 10, INVALID_STATE_ERR: 11,
  SYNTAX_ERR: 12, INVALID_MODIFICATION_ERR: 13, NAMESPACE_ERR: 14, INVALID_ACCESS_ERR: 15,
  VALIDATION_ERR: 16, TYPE_MISMATCH_ERR: 17, SECURITY_ERR: 18, NETWORK_ERR: 19, ABORT_ERR: 20,
  URL_MISMATCH_ERR: 21, QUOTA_EXCEEDED_ERR: 22, TIMEOUT_ERR: 23, INVALID_NODE_TYPE_ERR: 24,
  DATA_CLONE_ERR: 25,
};

export class DOMException {
  #name;
  #message;

  constructor(message = "", options = "Error") {
    // Captured before the fields are set on purpose: V8 formats the stack's first line lazily,
    // from the getters below, when `stack` is first read.
    Error.captureStackTrace(this, DOMException);
    if (options !== null && typeof options === "object") {
      this.#name = `${options.name}`;
      if ("cause" in options) {
        Object.defineProperty(this, "cause", {
          value: options.cause,
          writable: true,
          enumerable: false,
          configurable: true,
        });
      }
    } else {
      this.#name = `${options}`;
    }
    this.#message = `${message}`;
  }

  get name() {
    if (!(#name in this)) throw new TypeError('Value of "this" must be of type DOMException');
    return this.#name;
  }

  get message() {
    if (!(#message in this)) throw new TypeError('Value of "this" must be of type DOMException');
    return this.#message;
  }

  get code() {
    if (!(#name in this)) throw new TypeError('Value of "this" must be of type DOMException');
    return Object.hasOwn(codes, this.#name) ? codes[this.#name] : 0;
  }
}

Object.setPrototypeOf(DOMException.prototype, Error.prototype);
Object.defineProperties(DOMException.prototype, {
  [Symbol.toStringTag]: { configurable: true, value: "DOMException" },
  name: { enumerable: true, configurable: true },
  message: { enumerable: true, configurable: true },
  code: { enumerable: true, configurable: true },
});
for (const [constant, value] of Object.entries(constantNames)) {
  const descriptor = { enumerable: true, value };
  Object.defineProperty(DOMException, constant, descriptor);
  Object.defineProperty(DOMException.prototype, constant, descriptor);
}

// "Received type number (5)", "Received an instance of Uint16Array", "Received null": how Node
// ends a message about an argument of the wrong type.
export function received(value) {
  if (value == null) return `Received ${value}`;
  if (typeof value === "function" && value.name) return `Received function ${value.name}`;
  if (typeof value === "object") {
    if (value.constructor?.name) return `Received an instance of ${value.constructor.name}`;
    return `Received ${inspect(value, { depth: -1 })}`;
  }
  let inspected = inspect(value, { colors: false });
  if (inspected.length > 28) inspected = `${inspected.slice(0, 25)}...`;
  return `Received type ${typeof value} (${inspected})`;
}

Object.defineProperty(globalThis, "DOMException", {
  value: DOMException,
  writable: true,
  enumerable: false,
  configurable: true,
});
