import fc from 'fast-check';

/** Nested arrays `depth` deep: hostile to recursive validators and parsers. */
export function deeplyNested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/**
 * Values that break careless input handling: wrong types, NaN, infinities,
 * negative zero, huge and fractional numbers, numeric-looking strings, huge
 * strings, prototype keys, deep nesting, and anything at all.
 */
export function hostileValueArbitrary(): fc.Arbitrary<unknown> {
  return fc.oneof(
    // Values that cannot even be printed: an error message quoting them must not throw in turn.
    fc.constantFrom<unknown>({ toString: 0 }, Object.create(null), Symbol('hostile'), 10n),
    fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 2, 2 ** 32, -(2 ** 31), Number.MIN_VALUE, '', ' 5', '0x10', '1e3', '5abc', 'NaN', '__proto__', 'constructor', null, true, false, [], {}, [1, 2], { kind: 'x' }),
    fc.string({ minLength: 5000, maxLength: 20000 }),
    fc.integer({ min: 50, max: 3000 }).map(deeplyNested),
    fc.double(),
    fc.integer(),
    fc.anything({ maxDepth: 3 }),
  );
}

type Path = (string | number)[];

/** Every path into a plain object/array value (inner nodes and leaves). */
export function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      pathsOf(v, p, out);
    }
  }
  return out;
}

function setAt(root: unknown, path: Path, v: unknown): unknown {
  if (path.length === 0) return v;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  copy[head] = setAt(copy[head], rest, v);
  return copy;
}

export interface Mutated<T> {
  /** The valid input with one field replaced by (or one unknown field set to) a hostile value. */
  value: T;
  /** Where the hostile value went. */
  path: Path;
  hostile: unknown;
}

/** A valid input with one hostile value at one of its paths, or under an unknown key. */
export function withHostileField<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<Mutated<T>> {
  return valid.chain((v) => {
    const paths = pathsOf(v);
    const where = fc.oneof(paths.length ? fc.constantFrom(...paths) : fc.constant<Path>([]), fc.constantFrom(...[[] as Path, ...paths]).map((p) => [...p, 'unknownField']));
    return fc.tuple(where, hostileValueArbitrary()).map(([path, hostile]) => ({ value: setAt(v, path, hostile) as T, path, hostile }));
  });
}
