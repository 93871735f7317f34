import '../../components/ui/ui.css';
import './style.css';

// The static shell in index.html paints first: the app's code (React, the store, the rows) is
// loaded and run after that frame, so compiling it never holds the first paint back.
requestAnimationFrame(() => setTimeout(() => void import('./mount')));
