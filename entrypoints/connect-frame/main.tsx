/**
 * Connect CleverTap, framed into Mixpanel's Integrations page by the content script. This is an
 * extension page: the page around it cannot read its fields or hear its keys, and it talks to the
 * background as an extension page (the Mixpanel tab itself may not send credentials).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConnectDialog } from '../../components/integrations/ConnectDialog';
import { connectFrameMessage } from '../../components/integrations/connect-frame';
import { CONNECT_DIALOG_CSS } from '../../components/integrations/styles';
import '../../components/ui/ui.css';
import './style.css';

const style = document.createElement('style');
style.textContent = CONNECT_DIALOG_CSS;
document.head.append(style);

/** Only the outcome goes to the parent; Chrome names the parent's origin, elsewhere any may hear it. */
function tellParent(connected: boolean): void {
  const parentOrigin = location.ancestorOrigins?.[0] ?? '*';
  window.parent.postMessage(connectFrameMessage(connected ? 'connected' : 'cancelled'), parentOrigin);
}

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <ConnectDialog onClose={tellParent} />
    </StrictMode>,
  );
}
