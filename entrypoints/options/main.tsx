import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { appStore, connectAppStore } from '../../lib/ui/app-store';
import '../../components/ui/ui.css';
import './style.css';
import { OptionsApp } from './App';

connectAppStore(appStore);
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <OptionsApp />
    </StrictMode>,
  );
}
