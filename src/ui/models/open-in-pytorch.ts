/**
 * "Open in PyTorch": the current model as a Jupyter notebook that rebuilds it
 * in PyTorch (src/bridge/pytorch-notebook.ts), downloaded by the browser. The
 * generator is fetched on the first click, not with the page.
 */
import { models } from './index.ts';

/** A file name from the model's label: "pretrained: the learns recipe" -> "unmask-pretrained-the-learns-recipe". */
export const fileStem = (label: string): string =>
  `unmask-${label
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 60)}`;

/** Download the notebook for the model loaded now; false when there is none. */
export async function openInPyTorch(): Promise<boolean> {
  const label = models.getSnapshot().label ?? 'model';
  const [blob, { pytorchNotebook }] = await Promise.all([models.download(), import('../../bridge/pytorch-notebook.ts')]);
  if (!blob) return false;
  const ipynb = pytorchNotebook({ weights: new Uint8Array(await blob.arrayBuffer()), label });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([ipynb], { type: 'application/x-ipynb+json' }));
  a.download = `${fileStem(label)}.ipynb`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  return true;
}
