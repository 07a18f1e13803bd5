/** Section imports start a task apart, so Run all's twelve never share one long task. */
import { describe, expect, it } from 'vitest';
import { startInItsOwnTask } from '../../src/ui/cells/one-per-task.ts';

describe('startInItsOwnTask', () => {
  it('starts each in a later task than the one before, and hands back what each gives', async () => {
    const order: string[] = [];
    const a = startInItsOwnTask(async () => {
      order.push('a');
      // A task queued while a starts runs before b starts: b is a task of its own.
      setTimeout(() => order.push('a task later'), 0);
      return 1;
    });
    const b = startInItsOwnTask(() => {
      order.push('b');
      return Promise.resolve(2);
    });
    order.push('both asked');
    expect(await Promise.all([a, b])).toEqual([1, 2]);
    expect(order).toEqual(['both asked', 'a', 'a task later', 'b']);
  });

  it('passes on a start that throws or rejects, and the next still starts', async () => {
    const thrown = startInItsOwnTask(() => {
      throw new Error('no such chunk');
    });
    const rejected = startInItsOwnTask(() => Promise.reject(new Error('offline')));
    const after = startInItsOwnTask(() => Promise.resolve('loaded'));
    await expect(thrown).rejects.toThrow('no such chunk');
    await expect(rejected).rejects.toThrow('offline');
    expect(await after).toBe('loaded');
  });
});
