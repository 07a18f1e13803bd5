/** jsdom set-up for component tests: unmount between tests. */
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => cleanup());
