/**
 * National base → province overlay, as DESIGN.md fixes it: maps merge deeply, lists of objects
 * merge by their `id`, other lists replace, `null` removes. Alongside the value it records, for
 * every JSON pointer of the result, which file and which path in that file the value came from:
 * errors are reported at the right line, and the comparison view can say inherited or overridden.
 */
import { toPointer, type PathSegment } from '#src/profiles/json-pointer.js';

export interface Origin {
  file: string;
  path: PathSegment[];
}

export type OriginMap = Map<string, Origin>;

export interface MergeLayer {
  file: string;
  data: unknown;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A list whose every item is an object with a string `id`: merged item by item. */
export function isKeyedList(value: unknown): value is Array<Record<string, unknown> & { id: string }> {
  return Array.isArray(value) && value.length > 0 && value.every((item) => isPlainObject(item) && typeof item.id === 'string');
}

export function mergeLayers(layers: readonly MergeLayer[]): { value: unknown; origins: OriginMap } {
  const origins: OriginMap = new Map();
  let value: unknown = undefined;
  for (const layer of layers) {
    value = mergeValue(value, { value: layer.data, origin: { file: layer.file, path: [] } }, [], origins);
  }
  return { value, origins };
}

interface Sourced {
  value: unknown;
  origin: Origin;
}

function child(parent: Origin, segment: PathSegment): Origin {
  return { file: parent.file, path: [...parent.path, segment] };
}

function record(value: unknown, origin: Origin, at: PathSegment[], origins: OriginMap): void {
  origins.set(toPointer(at), origin);
  if (Array.isArray(value)) {
    value.forEach((item, i) => record(item, child(origin, i), [...at, i], origins));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) record(item, child(origin, key), [...at, key], origins);
  }
}

function forget(at: PathSegment[], origins: OriginMap): void {
  const prefix = toPointer(at);
  for (const pointer of [...origins.keys()]) {
    if (pointer === prefix || pointer.startsWith(prefix + '/')) origins.delete(pointer);
  }
}

function mergeValue(base: unknown, over: Sourced, at: PathSegment[], origins: OriginMap): unknown {
  if (isPlainObject(base) && isPlainObject(over.value)) {
    origins.set(toPointer(at), over.origin);
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over.value)) {
      const path = [...at, key];
      if (value === null) {
        delete result[key];
        forget(path, origins);
        continue;
      }
      result[key] = mergeValue(result[key], { value, origin: child(over.origin, key) }, path, origins);
    }
    return result;
  }
  if (isKeyedList(base) && isKeyedList(over.value)) {
    return mergeKeyedList(base, over, at, origins);
  }
  // Replacement: the old subtree's origins must not survive under the new value.
  forget(at, origins);
  record(over.value, over.origin, at, origins);
  return structuredClone(over.value);
}

function mergeKeyedList(base: Array<Record<string, unknown> & { id: string }>, over: Sourced, at: PathSegment[], origins: OriginMap) {
  const result: unknown[] = [...base];
  const overItems = over.value as Array<Record<string, unknown> & { id: string }>;
  origins.set(toPointer(at), over.origin);
  overItems.forEach((item, overIndex) => {
    const found = result.findIndex((existing) => (existing as { id: string }).id === item.id);
    const index = found === -1 ? result.length : found;
    result[index] = mergeValue(found === -1 ? undefined : result[index], { value: item, origin: child(over.origin, overIndex) }, [...at, index], origins);
  });
  return result;
}
