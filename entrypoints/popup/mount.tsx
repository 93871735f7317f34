import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { appStore, connectAppStore } from '../../lib/ui/app-store';
import { PopupApp } from './App';

connectAppStore(appStore);
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <PopupApp />
    </StrictMode>,
  );
}
