/**
 * Where no compute worker can start (no Worker, a blocked script, no backend
 * inside one), the same jobs run on the page. The lesson still works; it only
 * pauses while a job runs. Loaded only in that case: it brings tfjs onto the page.
 */
import { errorMessage } from '../../core/error-message.ts';
import type { DiffusionLM } from '../../core/model.ts';
import { loadedModel } from '../../core/model-factory.ts';
import { directContext } from '../../compute/job-context.ts';
import { runJob } from '../../compute/jobs.ts';
import { startBackend } from '../../worker/tfjs-browser.ts';
import type { ModelPayload, PageRunner } from './compute-client.ts';

export async function pageRunner(order: readonly string[], why: string): Promise<PageRunner> {
  const choice = await startBackend(order);
  let model: { version: number; model: DiffusionLM } | null = null;
  return {
    ready: { choice, probe: null, fingerprint: '', where: 'page' },
    async run(name: string, args: unknown, payload: ModelPayload | null, signal: AbortSignal, onProgress?: (done: number, total: number) => void) {
      if (payload && model?.version !== payload.version) {
        model?.model.dispose();
        model = null;
        try {
          model = { version: payload.version, model: loadedModel(payload.weights, payload.options) };
        } catch (e) {
          throw new Error(`the model could not be built on the page (${errorMessage(e)}); the compute worker would not start: ${why}`);
        }
      }
      return runJob(name, payload ? model!.model : null, args, directContext(signal, onProgress));
    },
  };
}
