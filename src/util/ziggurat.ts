/**
 * Tables for Marsaglia & Tsang's ziggurat method (128 layers) for the standard
 * normal: most draws cost one 32-bit integer, a compare and a multiply, which
 * makes weight and delay draws cheap enough for 20 M synapses per second.
 */
export const ZIG_R = 3.442619855899;
export const ZIG_K = new Int32Array(128);
export const ZIG_W = new Float64Array(128);
export const ZIG_F = new Float64Array(128);

(function initTables() {
  const m1 = 2147483648.0;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = Math.floor((dn / q) * m1);
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[127] = dn / m1;
  ZIG_F[0] = 1.0;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
})();
