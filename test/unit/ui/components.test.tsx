// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buttonByText, change, click, describedText, flush, inputByLabel, render, type Rendered } from './render';
import { NOW, makeSync, runSummary } from './fixtures';
import { DEFAULT_SETTINGS } from '../../../lib/storage/schema';

const send = vi.hoisted(() => ({ sendToBackground: vi.fn() }));
vi.mock('../../../lib/send', () => send);

const { SyncRow } = await import('../../../components/syncs/SyncRow');
const { CleverTapConnectForm } = await import('../../../components/connections/CleverTapConnectForm');
const { MixpanelConnectForm } = await import('../../../components/connections/MixpanelConnectForm');
const { EmptyState } = await import('../../../components/syncs/EmptyState');
const { ExportCohortForm } = await import('../../../components/syncs/ExportCohort');
const { StatusBadge } = await import('../../../components/ui/StatusBadge');
const { ProgressBar } = await import('../../../components/ui/ProgressBar');
const { SettingsForm } = await import('../../../components/settings/SettingsForm');
const { appStore } = await import('../../../lib/ui/app-store');

let view: Rendered | undefined;
beforeEach(() => {
  send.sendToBackground.mockReset();
  appStore.setState({ pending: {}, errors: {} });
});
afterEach(() => {
  view?.unmount();
  view = undefined;
});

describe('StatusBadge and ProgressBar', () => {
  it('say the status in words', () => {
    view = render(<StatusBadge state="needs-review" />);
    expect(view.container.textContent).toContain('Needs review');
  });

  it('show "n of N" as text and as ARIA values', () => {
    view = render(<ProgressBar done={4200} total={10000} label="progress" />);
    const bar = view.container.querySelector('[role="progressbar"]');
    expect(bar?.getAttribute('aria-valuenow')).toBe('4200');
    expect(bar?.getAttribute('aria-valuemax')).toBe('10000');
    expect(view.container.textContent).toContain('4,200 of 10,000');
  });
});

describe('SyncRow', () => {
  it('shows a running sync with phase, progress, ETA, type, last counts and next run', () => {
    const sync = makeSync(
      { state: 'running', phase: 'delivering', done: 300, total: 1200, etaAt: NOW + 4 * 60_000 },
      { lastRun: runSummary('1234:55'), nextRunAt: NOW + 12 * 60_000 },
    );
    view = render(<SyncRow sync={sync} now={NOW} />);
    const text = view.container.textContent ?? '';
    for (const expected of ['Power users', 'Dynamic', 'Running', 'Sending to CleverTap', 'about 4 min left', '300 of 1,200', 'Last sync 9 min ago', 'Next run in 12 min', 'Exported100', 'Skipped20', 'Added10', 'Removed4']) {
      expect(text).toContain(expected);
    }
    expect(buttonByText(view.container, 'Pause')).toBeTruthy();
    expect(() => buttonByText(view!.container, 'Sync now')).toThrow();
  });

  it('sends Pause / Resume / Sync now for this sync', async () => {
    send.sendToBackground.mockResolvedValue(makeSync({ state: 'synced' }));
    view = render(<SyncRow sync={makeSync({ state: 'paused', reason: 'CleverTap disconnected' })} now={NOW} />);
    expect(view.container.textContent).toContain('Paused: CleverTap disconnected');
    click(buttonByText(view.container, 'Resume'));
    await flush();
    expect(send.sendToBackground).toHaveBeenCalledWith({ type: 'sync.resume', syncId: '1234:55' });
    view.unmount();

    view = render(<SyncRow sync={makeSync({ state: 'synced' }, { type: 'one-time' })} now={NOW} />);
    expect(view.container.textContent).toContain('One-time');
    expect(view.container.textContent).toContain('Not synced yet');
    click(buttonByText(view.container, 'Sync now'));
    await flush();
    expect(send.sendToBackground).toHaveBeenLastCalledWith({ type: 'sync.now', syncId: '1234:55' });
  });

  it('asks before Stop', async () => {
    send.sendToBackground.mockResolvedValue(null);
    view = render(<SyncRow sync={makeSync({ state: 'scheduled' })} now={NOW} />);
    click(buttonByText(view.container, 'Stop'));
    expect(send.sendToBackground).not.toHaveBeenCalled();
    expect(view.container.textContent).toContain('Stop syncing “Power users”?');
    click(buttonByText(view.container, 'Stop sync'));
    await flush();
    expect(send.sendToBackground).toHaveBeenCalledWith({ type: 'sync.stop', syncId: '1234:55' });
  });

  it('shows a failure with View error, and the command error when a command fails', async () => {
    send.sendToBackground.mockRejectedValue(new Error('Connect CleverTap first.'));
    const sync = makeSync({ state: 'failed', reason: 'CleverTap answered 401.' }, { lastRun: runSummary('1234:55', { outcome: 'failed', counts: { ...runSummary('x').counts, rejected: 3 } }) });
    view = render(<SyncRow sync={sync} now={NOW} />);
    expect(view.container.textContent).toContain('Failed: CleverTap answered 401.');
    const toggle = buttonByText(view.container, 'View error');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    click(toggle);
    expect(view.container.textContent).toContain('3 records rejected by CleverTap');
    click(buttonByText(view.container, 'Sync now'));
    await flush();
    expect(view.container.querySelector('[role="alert"]')?.textContent).toBe('Connect CleverTap first.');
  });

  it('asks to review a large removal and sends Confirm / Discard', async () => {
    send.sendToBackground.mockResolvedValue(makeSync({ state: 'synced' }));
    view = render(<SyncRow sync={makeSync({ state: 'needs-review', reason: 'Over the threshold.', removals: 600, segmentSize: 1000 })} now={NOW} />);
    expect(view.container.textContent).toContain('Needs review');
    expect(view.container.textContent).toContain('remove 600 of 1,000 users (60 %)');
    click(buttonByText(view.container, 'Confirm'));
    await flush();
    expect(send.sendToBackground).toHaveBeenCalledWith({ type: 'sync.review', syncId: '1234:55', decision: 'confirm' });
    click(buttonByText(view.container, 'Discard'));
    await flush();
    expect(send.sendToBackground).toHaveBeenLastCalledWith({ type: 'sync.review', syncId: '1234:55', decision: 'discard' });
  });
});

describe('CleverTapConnectForm', () => {
  it('labels the fields, hints Mixpanel’s names, masks the passcode and defaults to Europe', () => {
    view = render(<CleverTapConnectForm connection={null} />);
    const passcode = inputByLabel(view.container, 'Passcode') as HTMLInputElement;
    expect(passcode.type).toBe('password');
    expect(inputByLabel(view.container, 'Region').value).toBe('eu1');
    expect(view.container.textContent).toContain('“App ID” in Mixpanel’s help');
    expect(view.container.textContent).toContain('“API Key” in Mixpanel’s help');
    click(buttonByText(view.container, 'Show Passcode'));
    expect(passcode.type).toBe('text');
    const regions = [...(inputByLabel(view.container, 'Region') as HTMLSelectElement).options].map((option) => option.text);
    expect(regions).toEqual(['Europe', 'India', 'Singapore', 'United States', 'Indonesia', 'Middle East (UAE)', 'South Korea']);
  });

  it('says what is missing before it asks CleverTap', () => {
    view = render(<CleverTapConnectForm connection={null} />);
    click(buttonByText(view.container, 'Connect'));
    const accountId = inputByLabel(view.container, 'Project ID');
    expect(describedText(view.container, accountId)).toContain('Enter the Project ID');
    expect(send.sendToBackground).not.toHaveBeenCalled();
  });

  it('names the region that answered and offers to switch to it', async () => {
    send.sendToBackground.mockResolvedValue({
      connected: false,
      reason: 'wrong-region',
      message: 'These credentials work in another region.',
      answeredRegion: 'in1',
    });
    view = render(<CleverTapConnectForm connection={null} />);
    change(inputByLabel(view.container, 'Project ID'), ' ABC-123 ');
    change(inputByLabel(view.container, 'Passcode'), 'secret-passcode');
    click(buttonByText(view.container, 'Connect'));
    await flush();
    expect(send.sendToBackground).toHaveBeenCalledWith({
      type: 'clevertap.connect',
      accountId: 'ABC-123',
      passcode: 'secret-passcode',
      region: 'eu1',
    });
    const alert = view.container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('not in the region you chose');
    expect(alert?.textContent).toContain('CleverTap answered from India');
    click(buttonByText(view.container, 'Use India'));
    expect(inputByLabel(view.container, 'Region').value).toBe('in1');
  });

  it('says bad credentials and network apart', async () => {
    send.sendToBackground.mockResolvedValueOnce({ connected: false, reason: 'bad-credentials', message: '401' });
    view = render(<CleverTapConnectForm connection={null} />);
    change(inputByLabel(view.container, 'Project ID'), 'ABC');
    change(inputByLabel(view.container, 'Passcode'), 'x');
    click(buttonByText(view.container, 'Connect'));
    await flush();
    expect(view.container.textContent).toContain('did not accept this Project ID and Passcode');
    send.sendToBackground.mockResolvedValueOnce({ connected: false, reason: 'network', message: 'offline' });
    click(buttonByText(view.container, 'Connect'));
    await flush();
    expect(view.container.textContent).toContain('Could not reach CleverTap.');
  });

  it('clears the passcode after connecting and never shows it again', async () => {
    const connection = { accountId: 'ABC', region: 'eu1' as const, connectedAt: NOW };
    send.sendToBackground.mockResolvedValue({ connected: true, connection });
    const onConnected = vi.fn();
    view = render(<CleverTapConnectForm connection={null} onConnected={onConnected} />);
    change(inputByLabel(view.container, 'Project ID'), 'ABC');
    change(inputByLabel(view.container, 'Passcode'), 'top-secret');
    click(buttonByText(view.container, 'Connect'));
    await flush();
    expect(onConnected).toHaveBeenCalledWith(connection);
    expect((inputByLabel(view.container, 'Passcode') as HTMLInputElement).value).toBe('');
    view.unmount();
    view = render(<CleverTapConnectForm connection={connection} now={NOW} />);
    expect(view.container.textContent).toContain('Connected');
    expect(view.container.innerHTML).not.toContain('top-secret');
  });

  it('disconnects after a confirmation', async () => {
    send.sendToBackground.mockResolvedValue(null);
    view = render(<CleverTapConnectForm connection={{ accountId: 'ABC', region: 'us1', connectedAt: NOW }} now={NOW} />);
    expect(view.container.textContent).toContain('United States');
    click(buttonByText(view.container, 'Disconnect'));
    click(buttonByText(view.container, 'Disconnect CleverTap'));
    await flush();
    expect(send.sendToBackground).toHaveBeenCalledWith({ type: 'clevertap.disconnect' });
  });
});

describe('MixpanelConnectForm', () => {
  it('pre-fills the data residency and explains a role that is not Admin or Owner', async () => {
    send.sendToBackground.mockResolvedValue({ connected: false, reason: 'not-admin', message: 'The role is Analyst.' });
    view = render(<MixpanelConnectForm connection={null} defaultRegion="eu" />);
    expect(inputByLabel(view.container, 'Data residency').value).toBe('eu');
    expect((inputByLabel(view.container, 'Service account secret') as HTMLInputElement).type).toBe('password');
    change(inputByLabel(view.container, 'Service account username'), 'sa.user');
    change(inputByLabel(view.container, 'Service account secret'), 's3cret');
    change(inputByLabel(view.container, 'Project ID'), '1234567');
    click(buttonByText(view.container, 'Connect'));
    await flush();
    expect(send.sendToBackground).toHaveBeenCalledWith({
      type: 'mixpanel.connect',
      username: 'sa.user',
      secret: 's3cret',
      projectId: 1234567,
      region: 'eu',
    });
    const alert = view.container.querySelector('[role="alert"]')?.textContent ?? '';
    expect(alert).toContain('not an Admin or Owner');
    expect(alert).toContain('The role is Analyst.');
  });

  it('wants a numeric Project ID', () => {
    view = render(<MixpanelConnectForm connection={null} />);
    change(inputByLabel(view.container, 'Service account username'), 'sa.user');
    change(inputByLabel(view.container, 'Service account secret'), 's3cret');
    change(inputByLabel(view.container, 'Project ID'), 'acme');
    click(buttonByText(view.container, 'Connect'));
    expect(describedText(view.container, inputByLabel(view.container, 'Project ID'))).toContain('Enter the project’s number');
    expect(send.sendToBackground).not.toHaveBeenCalled();
  });
});

describe('SettingsForm', () => {
  it('shows each problem next to its field and saves valid settings', async () => {
    view = render(<SettingsForm settings={DEFAULT_SETTINGS} />);
    change(inputByLabel(view.container, 'Removal safety threshold (%)'), '0');
    click(buttonByText(view.container, 'Save settings'));
    const threshold = inputByLabel(view.container, 'Removal safety threshold (%)');
    expect(threshold.getAttribute('aria-invalid')).toBe('true');
    expect(describedText(view.container, threshold)).toContain('Use at least 1 %.');
    expect(describedText(view.container, inputByLabel(view.container, 'Notification email of a CleverTap Admin'))).toContain('Segment delivery needs it');
    expect(send.sendToBackground).not.toHaveBeenCalled();

    const saved = { ...DEFAULT_SETTINGS, removalThreshold: 0.2, notificationEmail: 'ops@example.com' };
    send.sendToBackground.mockResolvedValue(saved);
    change(threshold, '20');
    change(inputByLabel(view.container, 'Notification email of a CleverTap Admin'), 'ops@example.com');
    click(buttonByText(view.container, 'Save settings'));
    await flush();
    expect(send.sendToBackground).toHaveBeenCalledWith({ type: 'settings.save', settings: saved });
    expect(view.container.textContent).toContain('Settings saved');
  });
});

describe('EmptyState', () => {
  it('lists the three steps and marks the done ones in text', () => {
    view = render(
      <EmptyState connections={{ clevertap: { accountId: 'A', region: 'eu1', connectedAt: NOW }, mixpanel: null }} onOpenConnections={() => undefined} />,
    );
    const steps = [...view.container.querySelectorAll('li')].map((item) => item.textContent);
    expect(steps).toHaveLength(3);
    expect(steps[0]).toContain('Connect CleverTap');
    expect(steps[0]).toContain('(done)');
    expect(steps[1]).toContain('Connect Mixpanel');
    expect(steps[2]).toContain('“…” menu');
  });
});

describe('ExportCohortForm', () => {
  it('lists the cohorts and starts the chosen sync type', async () => {
    const started = makeSync({ state: 'scheduled' });
    send.sendToBackground.mockImplementation(async (message: { type: string }) => {
      if (message.type === 'cohorts.list') {
        return {
          cohorts: [
            { id: 9, name: 'Zeta', count: 5, description: '' },
            { id: 55, name: 'Alpha', count: 1200, description: '' },
          ],
          fetchedAt: NOW,
        };
      }
      return started;
    });
    const onStarted = vi.fn();
    view = render(<ExportCohortForm syncs={[]} onStarted={onStarted} onCancel={() => undefined} />);
    await flush();
    const select = inputByLabel(view.container, 'Cohort') as HTMLSelectElement;
    expect([...select.options].map((option) => option.text)).toEqual(['Alpha (1,200 users)', 'Zeta (5 users)']);
    click(view.container.querySelector<HTMLInputElement>('input[value="dynamic"]')!);
    click(buttonByText(view.container, 'Start Sync'));
    await flush();
    expect(send.sendToBackground).toHaveBeenLastCalledWith({ type: 'sync.start', cohortId: 55, cohortName: 'Alpha', syncType: 'dynamic' });
    expect(onStarted).toHaveBeenCalledWith(started);
  });
});
