// fs: files and folders under `v8snap.fs` (also `import { readTextFile } from "ext:fs/fs.js"`).
// Every function has a sync form and an async one returning a promise; both run the same C++
// and give the same results. Access is checked in C++ against --allow-read / --allow-write:
// a refusal is an Error named "PermissionDenied". Other failures are Errors with `code`
// ("ENOENT", ...), `syscall` and `path`. Only regular files are read or written: a FIFO, device
// or socket is refused (code "ERR_NOT_REGULAR_FILE") rather than waited on.
const { ops } = globalThis.v8snap.core;
// Taken now, so user code that replaces them later changes nothing here.
const PromisePrototypeThen = Function.prototype.call.bind(Promise.prototype.then);
const ErrorPrototypeToString = Function.prototype.call.bind(Error.prototype.toString);
const ErrorCaptureStackTrace = Error.captureStackTrace;

function pathArg(name, path) {
  if (typeof path !== "string") {
    throw new TypeError(`${name}: path must be a string, got ${typeof path}`);
  }
  return path;
}

function bytesArg(name, data) {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`${name}: data must be a Uint8Array, a typed array or an ArrayBuffer`);
}

const recursive = (options) => options?.recursive === true;

// An async op's error is made when the work ends, with no JS on the stack. The stack of the call
// site is captured now, when the op is called (as Deno does), and given to the error if the op
// fails: an unhandled one then points at the user's code however it was consumed (await, .then).
// `caller` and the frames above it (this module's wrappers) are left out.
function settle(promise, caller) {
  const site = {};
  ErrorCaptureStackTrace(site, caller);
  return PromisePrototypeThen(promise, undefined, (error) => {
    if (error instanceof Error) {
      const frames = site.stack.indexOf("\n");
      error.stack = `${ErrorPrototypeToString(error)}${frames < 0 ? "" : site.stack.slice(frames)}`;
    }
    throw error;
  });
}

// Contents as a Uint8Array (a RangeError past 4 GiB, the most a Uint8Array holds).
export function readFileSync(path) {
  return ops.op_fs_read_file_sync(pathArg("readFileSync", path));
}
export async function readFile(path) {
  return settle(ops.op_fs_read_file(pathArg("readFile", path)), readFile);
}

// Contents decoded as UTF-8 (invalid sequences become U+FFFD; a RangeError past V8's string
// limit, 2^29 - 24 bytes).
export function readTextFileSync(path) {
  return ops.op_fs_read_text_file_sync(pathArg("readTextFileSync", path));
}
export async function readTextFile(path) {
  return settle(ops.op_fs_read_text_file(pathArg("readTextFile", path)), readTextFile);
}

// Creates or truncates the file. A symlink is followed, and its target is what must be
// allowed (a link inside the grant to a file inside it writes that file; one pointing out is
// PermissionDenied). Only a symlink swapped in after that check is refused (ELOOP).
export function writeFileSync(path, data) {
  ops.op_fs_write_file_sync(pathArg("writeFileSync", path), bytesArg("writeFileSync", data));
}
export async function writeFile(path, data) {
  return settle(
    ops.op_fs_write_file(pathArg("writeFile", path), bytesArg("writeFile", data)), writeFile);
}

// Writes String(text) as UTF-8.
export function writeTextFileSync(path, text) {
  ops.op_fs_write_text_file_sync(pathArg("writeTextFileSync", path), String(text));
}
export async function writeTextFile(path, text) {
  return settle(
    ops.op_fs_write_text_file(pathArg("writeTextFile", path), String(text)), writeTextFile);
}

// { isFile, isDirectory, isSymlink, size, mtime, atime, ctime (Dates), mode }, of what the path
// leads to (symlinks followed).
export function statSync(path) {
  return ops.op_fs_stat_sync(pathArg("statSync", path));
}
export async function stat(path) {
  return settle(ops.op_fs_stat(pathArg("stat", path)), stat);
}

// [{ name, isFile, isDirectory, isSymlink }], sorted by name, without "." and "..".
export function readDirSync(path) {
  return ops.op_fs_read_dir_sync(pathArg("readDirSync", path));
}
export async function readDir(path) {
  return settle(ops.op_fs_read_dir(pathArg("readDir", path)), readDir);
}

// Removes a file, a symlink (never its target) or an empty folder; with { recursive: true },
// a folder and everything in it.
export function removeSync(path, options) {
  ops.op_fs_remove_sync(pathArg("removeSync", path), recursive(options));
}
export async function remove(path, options) {
  return settle(ops.op_fs_remove(pathArg("remove", path), recursive(options)), remove);
}

// Creates a folder; with { recursive: true }, its missing parents too, and no error if it exists.
export function mkdirSync(path, options) {
  ops.op_fs_mkdir_sync(pathArg("mkdirSync", path), recursive(options));
}
export async function mkdir(path, options) {
  return settle(ops.op_fs_mkdir(pathArg("mkdir", path), recursive(options)), mkdir);
}

export const fs = Object.freeze({
  readFile,
  readFileSync,
  readTextFile,
  readTextFileSync,
  writeFile,
  writeFileSync,
  writeTextFile,
  writeTextFileSync,
  stat,
  statSync,
  readDir,
  readDirSync,
  remove,
  removeSync,
  mkdir,
  mkdirSync,
});

Object.defineProperty(globalThis.v8snap, "fs", {
  value: fs,
  writable: false,
  enumerable: true,
  configurable: false,
});
