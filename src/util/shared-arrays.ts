/**
 * Typed arrays over SharedArrayBuffer, so worker threads can map the same
 * memory without copying. Falls back to ArrayBuffer when asked.
 */
type TypedArrayCtor<T> = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T; BYTES_PER_ELEMENT: number };

export function allocArray<T>(ctor: TypedArrayCtor<T>, length: number, shared: boolean): T {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return new ctor(buffer, 0, length);
}
