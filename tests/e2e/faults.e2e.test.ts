/**
 * Live training in its worker, through the faults a learner's GPU can throw:
 * a lost WebGL context and a destroyed WebGPU device. Each is forced with the
 * real API (WEBGL_lose_context, GPUDevice.destroy) inside the training worker,
 * reached from outside through tfjs' global engine (the production bundle has
 * no hook for it); the run must carry on from its last save on the next
 * backend and say so. And a worker that dies without a word is noticed.
 */
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from './browser.ts';
import { currentStep, opener, startTraining, trainingWorker } from './training-page.ts';
import { DEFAULT_RECIPE } from '../../src/ui/training/live-training.ts';

const env = useBuiltApp();
const openAndRun = opener(env);

/** Lose the GPU inside the training worker, as a driver reset would. */
async function loseDevice(page: Parameters<typeof trainingWorker>[0]): Promise<string> {
  const worker = await trainingWorker(page);
  return worker.evaluate(() => {
    // tfjs keeps its engine on the global object; its backend holds the GL context or the GPU device.
    const engine = (
      self as unknown as { _tfengine?: { backendName?: string; backendInstance?: { gpgpu?: { gl: WebGL2RenderingContext }; device?: GPUDevice } } }
    )._tfengine;
    const backend = engine?.backendInstance;
    if (engine?.backendName === 'webgl' && backend?.gpgpu) {
      backend.gpgpu.gl.getExtension('WEBGL_lose_context')?.loseContext();
      return 'lost the WebGL context';
    }
    if (engine?.backendName === 'webgpu' && backend?.device) {
      backend.device.destroy();
      return 'lost the WebGPU device';
    }
    return 'no GPU in use';
  });
}

describe('training through GPU faults', () => {
  it('carries on from the last save on wasm when the WebGL context is lost', async () => {
    const { page, errors, cell } = await openAndRun('?backend=webgl,wasm&section=training', 'model-source');
    await startTraining(cell, 8);
    await expect.poll(() => currentStep(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('train-backend').textContent()).toBe('webgl');
    expect(await cell.textContent()).toContain('Training runs in a background worker');

    // A pause is a save point; then lose the context mid-run, after it.
    await cell.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('train-message').textContent(), { timeout: 240_000 }).toMatch(/^Paused after step \d+ of 8\.$/);
    const savedAt = Number((await page.getByTestId('train-message').textContent())!.match(/step (\d+)/)![1]);
    await cell.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => currentStep(page), { timeout: 240_000 }).toBeGreaterThan(savedAt);
    expect(await loseDevice(page)).toBe('lost the WebGL context');

    const notice = page.getByTestId('train-notice');
    await expect
      .poll(() => notice.textContent(), { timeout: 240_000 })
      .toMatch(
        new RegExp(
          `^At step \\d+, the WebGL context was lost \\(the GPU was reset or taken by another program\\)\\. Training carried on from the save at step ${savedAt} on wasm(, so \\d+ steps are done again)?\\.$`,
        ),
      );
    await expect.poll(() => page.getByTestId('train-message').textContent(), { timeout: 240_000 }).toBe('Completed 8 steps.');
    expect(await page.getByTestId('train-backend').textContent()).toBe('wasm');
    expect(await page.getByTestId('model-label').textContent()).toBe(`trained here: 8 steps of the ${DEFAULT_RECIPE} recipe`);
    // Steps redone after the loss replace the lost ones: one loss a step, raw and smoothed.
    const loss = page.locator('.cell[data-cell="loss-curve"]').getByTestId('plot').first();
    await loss.scrollIntoViewIfNeeded(); // charts draw once near the screen
    await expect.poll(() => loss.getAttribute('data-points'), { timeout: 240_000 }).toBe('16');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('waits for Resume when the context is lost while paused, then carries on from the pause', async () => {
    const { page, errors, cell } = await openAndRun('?backend=webgl,wasm&section=training', 'model-source');
    await startTraining(cell, 5);
    await expect.poll(() => currentStep(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(1);
    await cell.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('train-message').textContent(), { timeout: 240_000 }).toMatch(/^Paused after step \d+ of 5\.$/);
    const savedAt = Number((await page.getByTestId('train-message').textContent())!.match(/step (\d+)/)![1]);
    expect(await loseDevice(page)).toBe('lost the WebGL context');
    await expect
      .poll(() => page.getByTestId('train-notice').textContent(), { timeout: 240_000 })
      .toBe(
        `While paused, the WebGL context was lost (the GPU was reset or taken by another program). Resume carries on from the save at step ${savedAt} on wasm.`,
      );
    await page.waitForTimeout(1000);
    expect(await currentStep(page)).toBe(savedAt); // still paused
    await cell.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('train-message').textContent(), { timeout: 240_000 }).toBe('Completed 5 steps.');
    expect(await page.getByTestId('train-backend').textContent()).toBe('wasm');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('starts over on wasm when the WebGPU device is destroyed before the first save', async () => {
    const { page, errors, cell } = await openAndRun('?backend=webgpu,wasm&section=training', 'model-source');
    await startTraining(cell, 3);
    // As soon as the worker has its device (it answers 'no GPU in use' until then), destroy it.
    await expect.poll(() => loseDevice(page), { timeout: 240_000, interval: 100 }).toBe('lost the WebGPU device');
    await expect
      .poll(() => page.getByTestId('train-notice').textContent(), { timeout: 240_000 })
      .toMatch(
        /^(During the first step|At step \d+), the WebGPU device was lost \(destroyed\)\. Training carried on from the start on wasm(, so \d+ steps are done again)?\.$/,
      );
    await expect.poll(() => page.getByTestId('train-message').textContent(), { timeout: 240_000 }).toBe('Completed 3 steps.');
    expect(await page.getByTestId('train-backend').textContent()).toBe('wasm');
    expect(await page.getByTestId('model-label').textContent()).toBe(`trained here: 3 steps of the ${DEFAULT_RECIPE} recipe`);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('notices a training worker that dies without a word, and offers its last save', async () => {
    const { page, errors, cell } = await openAndRun('?backend=wasm&section=training', 'model-source');
    await startTraining(cell, 2000);
    // Past the first save point (every 50 steps), then the worker closes itself: no error event, no message.
    await expect.poll(() => currentStep(page), { timeout: 240_000 }).toBeGreaterThan(60);
    await (await trainingWorker(page)).evaluate(() => self.close());
    const message = page.getByTestId('train-message');
    await expect
      .poll(() => message.textContent(), { timeout: 240_000 })
      .toMatch(
        /^The training worker stopped answering: nothing for \d+ s after step \d+, so it was stopped\. The save at step \d+ is kept: resume it below\.$/,
      );
    const savedAt = Number((await message.textContent())!.match(/save at step (\d+)/)![1]);
    expect(savedAt).toBeGreaterThanOrEqual(50);
    await page.getByTestId('train-interrupted').getByRole('button', { name: 'Resume it' }).click();
    await expect.poll(() => currentStep(page), { timeout: 240_000 }).toBeGreaterThan(savedAt);
    await cell.getByRole('button', { name: 'Stop (keeps the weights so far)' }).click();
    await expect
      .poll(() => page.getByTestId('model-label').textContent(), { timeout: 240_000 })
      .toMatch(new RegExp(`^trained here: \\d+ steps of the ${DEFAULT_RECIPE} recipe$`));
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
