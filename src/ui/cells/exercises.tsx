/** Section 9: the TODOs, each an editor with checks (see src/exercises and ui/exercises). */
import { Exercise } from '../exercises/Exercise.tsx';
import { cell } from './types.ts';

export const cells = {
  'todo-1': cell<null>({ title: 'TODO 1: the loss of one sequence', live: true, run: () => null, View: () => <Exercise id="todo-1" /> }),
  'todo-2': cell<null>({ title: 'TODO 2: predict the masked tokens', live: true, run: () => null, View: () => <Exercise id="todo-2" /> }),
  'todo-3': cell<null>({ title: 'TODO 3: one step of generation', live: true, run: () => null, View: () => <Exercise id="todo-3" /> }),
};
