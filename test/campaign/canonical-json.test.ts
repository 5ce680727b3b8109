import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, contentHash } from '../../src/campaign/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts every object\'s keys at every depth and leaves arrays in order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    assert.equal(contentHash({ x: 1, y: [2, 3] }), contentHash({ y: [2, 3], x: 1 }));
    assert.notEqual(contentHash({ y: [2, 3] }), contentHash({ y: [3, 2] }));
  });

  it('keeps a "__proto__" key of untrusted input as data (a job read from a queue), not as a prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown;
    assert.equal(canonicalJson(parsed), '{"__proto__":{"x":1},"a":2}');
    assert.notEqual(contentHash(parsed), contentHash({ a: 2 }));
  });
});
