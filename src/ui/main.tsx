import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EngineCheck } from './EngineCheck.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EngineCheck />
  </StrictMode>,
);
