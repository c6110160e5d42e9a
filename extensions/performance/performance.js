// performance: High Resolution Time (performance.now(), performance.timeOrigin) and the basics
// of User Timing (mark, measure, getEntries*, clearMarks/clearMeasures). Installed as
// globalThis.performance; the classes are globals too. Also importable:
//   import { performance } from "ext:performance/performance.js";
//
// Built into a snapshot, this module must not remember any time: now() and timeOrigin ask the
// ops on every call, so they count from the start of the process that runs, not the one that
// built the snapshot.
import { DOMException, received } from "ext:encoding/dom_exception.js";

const { ops } = globalThis.v8snap.core;

const customInspect = Symbol.for("nodejs.util.inspect.custom");
// Lets only this module construct entries and the Performance object.
const kConstruct = Symbol("kConstruct");

function illegalConstructor() {
  const error = new TypeError("Illegal constructor");
  error.code = "ERR_ILLEGAL_CONSTRUCTOR";
  return error;
}

function invalidTimestamp(value) {
  const error = new TypeError(`${value} is not a valid timestamp`);
  error.code = "ERR_PERFORMANCE_INVALID_TIMESTAMP";
  return error;
}

function invalidMeasureOptions(message) {
  const error = new TypeError(message);
  error.code = "ERR_PERFORMANCE_MEASURE_INVALID_OPTIONS";
  return error;
}

const now = () => ops.op_performance_now();

// Prints like Node: `PerformanceMark { name: 'a', entryType: 'mark', ... }`.
function inspectEntry(entry, name, fields, depth, options, inspect) {
  if (depth < 0) return entry;
  const opts = { ...options, depth: options.depth == null ? null : options.depth - 1 };
  return `${name} ${inspect(fields, opts)}`;
}

export class PerformanceEntry {
  #name;
  #entryType;
  #startTime;
  #duration;

  constructor(key, name, entryType, startTime, duration) {
    if (key !== kConstruct) throw illegalConstructor();
    this.#name = name;
    this.#entryType = entryType;
    this.#startTime = startTime;
    this.#duration = duration;
  }

  get name() {
    return this.#name;
  }

  get entryType() {
    return this.#entryType;
  }

  get startTime() {
    return this.#startTime;
  }

  get duration() {
    return this.#duration;
  }

  toJSON() {
    return {
      name: this.#name,
      entryType: this.#entryType,
      startTime: this.#startTime,
      duration: this.#duration,
    };
  }

  [customInspect](depth, options, inspect) {
    return inspectEntry(this, this.constructor.name, this.toJSON(), depth, options, inspect);
  }
}

function validateName(args, name) {
  if (args.length === 0) {
    const error = new TypeError('The "name" argument must be specified');
    error.code = "ERR_MISSING_ARGS";
    throw error;
  }
  return `${name}`;
}

export class PerformanceMark extends PerformanceEntry {
  #detail;

  // new PerformanceMark(name, { startTime, detail }): startTime defaults to now.
  constructor(name, options = undefined) {
    name = validateName(arguments, name);
    if (options != null && typeof options !== "object") {
      throw new TypeError(`The "options" argument must be of type object. ${received(options)}`);
    }
    const startTime = options?.startTime ?? now();
    if (typeof startTime !== "number") {
      throw new TypeError(`The "startTime" argument must be of type number. ${received(startTime)}`);
    }
    if (startTime < 0) throw invalidTimestamp(startTime);
    super(kConstruct, name, "mark", startTime, 0);
    this.#detail = options?.detail ?? null;
  }

  get detail() {
    return this.#detail;
  }

  toJSON() {
    return { ...super.toJSON(), detail: this.#detail };
  }
}

export class PerformanceMeasure extends PerformanceEntry {
  #detail;

  constructor(key, name, startTime, duration, detail) {
    if (key !== kConstruct) throw illegalConstructor();
    super(kConstruct, name, "measure", startTime, duration);
    this.#detail = detail;
  }

  get detail() {
    return this.#detail;
  }

  toJSON() {
    return { ...super.toJSON(), detail: this.#detail };
  }
}

for (const [klass, tag] of [[PerformanceMark, "PerformanceMark"],
                            [PerformanceMeasure, "PerformanceMeasure"]]) {
  Object.defineProperty(klass.prototype, Symbol.toStringTag, { configurable: true, value: tag });
}

// The performance timeline: marks and measures in the order they were made.
let entries = [];
// The latest start time of each mark name.
const markTimes = new Map();

// A mark name or a timestamp, as measure() takes them.
function getMark(name) {
  if (name === undefined) return undefined;
  if (typeof name === "number") {
    if (name < 0) throw invalidTimestamp(name);
    return name;
  }
  name = `${name}`;
  const time = markTimes.get(name);
  if (time === undefined) {
    throw new DOMException(`The "${name}" performance mark has not been set`, "SyntaxError");
  }
  return time;
}

// Node's rules for measure(name, start, end) and measure(name, { start, end, duration }).
function calculateStartDuration(startOrMeasureOptions, endMark) {
  startOrMeasureOptions ??= 0;
  let start;
  let end;
  let duration;
  let optionsValid = false;
  if (typeof startOrMeasureOptions === "object") {
    ({ start, end, duration } = startOrMeasureOptions);
    optionsValid = start !== undefined || end !== undefined;
  }
  if (optionsValid) {
    if (endMark !== undefined) throw invalidMeasureOptions("endMark must not be specified");
    if (start !== undefined && end !== undefined && duration !== undefined) {
      throw invalidMeasureOptions(
        "Must not have options.start, options.end, and options.duration specified");
    }
  }
  if (endMark !== undefined) {
    end = getMark(endMark);
  } else if (optionsValid && end !== undefined) {
    end = getMark(end);
  } else if (optionsValid && start !== undefined && duration !== undefined) {
    end = getMark(start) + getMark(duration);
  } else {
    end = now();
  }
  if (typeof startOrMeasureOptions === "string") {
    start = getMark(startOrMeasureOptions);
  } else if (optionsValid && start !== undefined) {
    start = getMark(start);
  } else if (optionsValid && duration !== undefined && end !== undefined) {
    start = end - getMark(duration);
  } else {
    start = 0;
  }
  return { start, duration: end - start };
}

function filterEntries(name, type) {
  return entries.filter((entry) =>
    (name === undefined || entry.name === name) && (type === undefined || entry.entryType === type));
}

function clearEntries(type, name) {
  entries = entries.filter((entry) =>
    entry.entryType !== type || (name !== undefined && entry.name !== name));
}

export class Performance {
  constructor(key) {
    if (key !== kConstruct) throw illegalConstructor();
  }

  // Milliseconds since timeOrigin, from a monotonic clock.
  now() {
    return now();
  }

  // When this process started, in milliseconds since the Unix epoch.
  get timeOrigin() {
    return ops.op_performance_time_origin();
  }

  mark(name, options = undefined) {
    const mark = new PerformanceMark(validateName(arguments, name), options);
    markTimes.set(mark.name, mark.startTime);
    entries.push(mark);
    return mark;
  }

  measure(name, startOrMeasureOptions = undefined, endMark = undefined) {
    if (typeof name !== "string") {
      throw new TypeError(`The "name" argument must be of type string. ${received(name)}`);
    }
    const { start, duration } = calculateStartDuration(startOrMeasureOptions, endMark);
    const detail = startOrMeasureOptions?.detail ?? null;
    const measure = new PerformanceMeasure(kConstruct, name, start, duration, detail);
    entries.push(measure);
    return measure;
  }

  clearMarks(name = undefined) {
    if (name !== undefined) {
      name = `${name}`;
      markTimes.delete(name);
    } else {
      markTimes.clear();
    }
    clearEntries("mark", name);
  }

  clearMeasures(name = undefined) {
    clearEntries("measure", name === undefined ? undefined : `${name}`);
  }

  // Entries sorted by startTime (stable: same-time entries keep their order).
  getEntries() {
    return filterEntries().sort((a, b) => a.startTime - b.startTime);
  }

  getEntriesByName(name, type = undefined) {
    return filterEntries(`${name}`, type === undefined ? undefined : `${type}`)
        .sort((a, b) => a.startTime - b.startTime);
  }

  getEntriesByType(type) {
    return filterEntries(undefined, `${type}`).sort((a, b) => a.startTime - b.startTime);
  }

  toJSON() {
    return { timeOrigin: this.timeOrigin };
  }

  [customInspect](depth, options, inspect) {
    return inspectEntry(this, "Performance", this.toJSON(), depth, options, inspect);
  }
}
Object.defineProperty(Performance.prototype, Symbol.toStringTag, {
  configurable: true,
  value: "Performance",
});

export const performance = new Performance(kConstruct);

for (const [name, value] of Object.entries({
  Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure,
})) {
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
Object.defineProperty(globalThis, "performance", {
  value: performance,
  writable: true,
  enumerable: true,
  configurable: true,
});
