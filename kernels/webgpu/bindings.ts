/**
 * WGSL declarations and accessors for buffers that may be split across
 * several bindings to respect the adapter's maxStorageBufferBindingSize:
 * the delay rings (split by replica: part p holds replicas
 * [p * replicasPerPart, (p + 1) * replicasPerPart)) and the synapse arrays
 * (split by synapse index: part p holds [p * synPerPart, (p + 1) * synPerPart)).
 * WGSL cannot index an array of bindings, so the accessors switch on the part.
 */

/** `var` declarations of `count` parts named `${name}${p}` from binding `first` on. */
export function partBindings(name: string, type: string, access: 'read' | 'read_write', first: number, count: number): string {
  return Array.from({ length: count }, (_, p) => `@group(0) @binding(${first + p}) var<storage, ${access}> ${name}${p}: ${type};`).join('\n');
}

/** A switch over the parts: `body(p)` is the statement for part p. */
function switchParts(count: number, selector: string, body: (p: number) => string): string {
  if (count === 1) return body(0);
  const cases = Array.from({ length: count - 1 }, (_, p) => `    case ${p}u: { ${body(p)} }`).join('\n');
  return `  switch (${selector}) {\n${cases}\n    default: { ${body(count - 1)} }\n  }`;
}

/** Ring accessors: ringLoad/ringStore/ringAdd(part, word index in the part); ringAdd adds a weight in fixed point (fxAdd of each part). */
export function ringAccessorsWgsl(parts: number, withAdd: boolean): string {
  const load = `fn ringLoad(part: u32, w: u32) -> u32 {\n  var out = 0u;\n${switchParts(parts, 'part', (p) => `out = atomicLoad(&ring${p}[w]);`)}\n  return out;\n}\n`;
  const store = `fn ringStore(part: u32, w: u32, x: u32) {\n${switchParts(parts, 'part', (p) => `atomicStore(&ring${p}[w], x);`)}\n}\n`;
  const add = withAdd ? `fn ringAdd(part: u32, e: u32, w: f32) {\n${switchParts(parts, 'part', (p) => `fxAdd_${p}(e, w);`)}\n}\n` : '';
  return load + store + add;
}

/** Synapse accessors: synPacked(k) (target | delay << 24) and synWeight(k) across the parts. */
export function synapseAccessorsWgsl(parts: number): string {
  const sel = parts === 1 ? '0u' : 'k / globals.synPerPart';
  const local = parts === 1 ? 'k' : 'k - (k / globals.synPerPart) * globals.synPerPart';
  const packed = `fn synPacked(k: u32) -> u32 {\n  let j = ${local};\n  var out = 0u;\n${switchParts(parts, sel, (p) => `out = targets${p}[j];`)}\n  return out;\n}\n`;
  const weight = `fn synWeight(k: u32) -> f32 {\n  let j = ${local};\n  var out = 0.0;\n${switchParts(parts, sel, (p) => `out = weights${p}[j];`)}\n  return out;\n}\n`;
  return packed + weight;
}
