import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { calibrate, CALIBRATION_WARM_STEPS } from '../../src/cli/wall-estimate.js';
import { buildNetwork } from '../../src/model/builder.js';
import { cubaSpec } from '../../src/model/cuba.js';
import { InterruptedError } from '../../src/util/errors.js';

const net = buildNetwork(cubaSpec({ scale: 0.1 }), { seed: 1 });

describe('run --dry-run: the wall-time calibration', () => {
  it('simulates the warm-up and then whole chunks, and gives simulated ms per wall second', async () => {
    const b = new ReferenceBackend(net);
    const { steps, rate } = await calibrate(b, net.dtMs);
    assert.ok(steps >= 100 && steps % 100 === 0, `${steps}`);
    assert.equal(b.currentStep, CALIBRATION_WARM_STEPS + steps);
    assert.ok(Number.isFinite(rate) && rate > 0);
  });

  it('stops on an aborted signal with an InterruptedError (phase estimate) carrying its reason: Ctrl-C is not lost after the build', async () => {
    const b = new ReferenceBackend(net);
    const reason = new Error('user pressed Ctrl-C');
    await assert.rejects(calibrate(b, net.dtMs, AbortSignal.abort(reason)), (e: unknown) => e instanceof InterruptedError && e.phase === 'estimate' && e.cause === reason && /interrupted while estimating the wall time/.test(e.message));
    assert.equal(b.currentStep, 0, 'an aborted signal runs nothing');
  });
});
