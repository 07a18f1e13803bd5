/** Test helpers: the Node backends and the fixtures, loaded the way users load them. */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../../src/core/backend.ts';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;

/** Start `name` as the app and CLI do, our own wasm kernels included. */
export async function useBackend(name: string): Promise<void> {
  await selectBackend([name]);
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))));
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(new TextDecoder().decode(fixture(name))) as T;
}
