// console: console.log/info/debug (stdout) and warn/error (stderr). An ES module: other
// extension modules may `import { format } from "ext:console/console.js"`.
const { ops } = globalThis.v8snap.core;

function formatValue(value) {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.stack ?? String(value);
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

export function format(...args) {
  return args.map(formatValue).join(" ");
}

const write = (toStderr) => (...args) => ops.op_console_write(format(...args), toStderr);

export const console = {
  log: write(false),
  info: write(false),
  debug: write(false),
  warn: write(true),
  error: write(true),
};

Object.defineProperty(globalThis, "console", {
  value: console,
  writable: true,
  enumerable: false,
  configurable: true,
});
