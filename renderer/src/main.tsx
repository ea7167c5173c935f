import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHostClient } from './api/client';
import { App } from './App';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App client={createHostClient()} />
  </StrictMode>,
);
