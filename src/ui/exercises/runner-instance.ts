/** The page's one exercise worker, started on first use. */
import { ExerciseRunner } from '../../exercises/runner.ts';

export const exerciseRunner = new ExerciseRunner();
