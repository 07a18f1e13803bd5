/** jsdom set-up for component tests: unmount between tests. */
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// findBy* and waitFor wait on a state; Testing Library's default of 1 s is a
// budget that a lazily loaded module (the lesson index, Plotly) misses on a
// loaded 2-core machine. They wait as hang guards instead, like the tests.
configure({ asyncUtilTimeout: 240_000 });

afterEach(() => cleanup());
