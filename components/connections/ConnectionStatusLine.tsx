import type { ConnectionsView } from '../../lib/messages';

function State({ name, connected }: { name: string; connected: boolean }) {
  return (
    <span className={`cs-conn-state ${connected ? 'cs-conn-state--on' : 'cs-conn-state--off'}`}>
      <span className="cs-conn-state__dot" aria-hidden="true">
        {connected ? '●' : '○'}
      </span>
      {name} {connected ? 'Connected' : 'not connected'}
    </span>
  );
}

/** "CleverTap Connected · Mixpanel not connected", linking to the options page's Connections. */
export function ConnectionStatusLine({ connections, onOpenConnections }: { connections: ConnectionsView; onOpenConnections: () => void }) {
  return (
    <p className="cs-conn-line">
      <State name="CleverTap" connected={connections.clevertap !== null} />
      <State name="Mixpanel" connected={connections.mixpanel !== null} />
      <a
        href="options.html#connections"
        className="cs-conn-line__link"
        onClick={(event) => {
          event.preventDefault();
          onOpenConnections();
        }}
      >
        {connections.clevertap && connections.mixpanel ? 'Connections' : 'Connect…'}
      </a>
    </p>
  );
}
