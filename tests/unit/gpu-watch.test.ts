/** After an error, how long the training worker waits for a WebGPU device loss to be confirmed. */
import { describe, expect, it } from 'vitest';
import { settleWaitMs } from '../../src/worker/gpu-watch.ts';

describe('waiting for a lost GPU after an error', () => {
  it("waits until the loss is confirmed when the error is a lost device's symptom", () => {
    // What Chromium throws when the device is destroyed during a step, before device.lost resolves.
    const symptoms = [
      new DOMException("Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.", 'AbortError'),
      new Error('Device is lost'),
      new Error('the device was destroyed'),
      'Instance dropped',
    ];
    for (const e of symptoms) expect(settleWaitMs(e)).toBeGreaterThanOrEqual(60_000);
  });

  it('waits only briefly for any other error, which is most likely a real failure', () => {
    for (const e of [new RangeError('steps must be a whole number'), new Error('non-finite loss'), undefined])
      expect(settleWaitMs(e)).toBeLessThanOrEqual(1000);
  });
});
