import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHostClient } from './api/client';
import { App } from './App';
import 'react-grid-layout/css/styles.css';
import './styles.css';

// react-draggable (under the workspace grid) adds an inline <style> element while a pane is
// dragged unless one with this id exists; the CSP refuses inline styles, so a placeholder is
// put here and the rule it would add (no text selection while dragging) is in styles.css.
const draggablePlaceholder = document.createElement('meta');
draggablePlaceholder.id = 'react-draggable-style-el';
document.head.append(draggablePlaceholder);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App client={createHostClient()} />
  </StrictMode>,
);
