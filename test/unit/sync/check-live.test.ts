/** `npm run check:live` against the emulators, in their default and their pessimistic modes. */
import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, runLiveCheck, type LiveReport } from '../../../scripts/check-live/checks';
import { configFromEnv } from '../../../scripts/check-live/config';
import { createEmulators, EMULATOR_CREDENTIALS, type EmulatorSetOptions } from '../../emulators';
import { startHub, type Hub } from '../../emulators/hub';
import { FIXTURE, seedCohort } from '../../emulators/mixpanel';

let hub: Hub | undefined;
afterEach(() => hub?.close());

const env = (extra: Record<string, string> = {}) => ({
  MIXPANEL_USERNAME: FIXTURE.projectAdmin.username,
  MIXPANEL_SECRET: FIXTURE.projectAdmin.secret,
  MIXPANEL_PROJECT_ID: String(FIXTURE.euProject.id),
  MIXPANEL_REGION: 'eu',
  CLEVERTAP_ACCOUNT_ID: EMULATOR_CREDENTIALS.clevertap.accountId,
  CLEVERTAP_PASSCODE: EMULATOR_CREDENTIALS.clevertap.passcode,
  CLEVERTAP_REGION: 'eu1',
  ...extra,
});

async function check(options: EmulatorSetOptions, variables = env()): Promise<LiveReport> {
  const emulators = createEmulators(options);
  // The EU project, so no data view is needed; the project admin sees it too.
  emulators.mixpanel.state.setRole(FIXTURE.projectAdmin.username, FIXTURE.euProject.id, 'admin');
  seedCohort(emulators.mixpanel.state, { projectId: FIXTURE.euProject.id, cohortId: 900, members: 1500, seed: 5 });
  hub = await startHub(emulators.list);
  const parsed = configFromEnv(variables);
  if (!parsed.ok) throw new Error(parsed.message);
  return runLiveCheck(parsed.config, hub.fetch);
}

const verdict = (report: LiveReport, assumption: string) =>
  report.findings.find((finding) => finding.assumption.startsWith(assumption))?.verdict;

describe('the live check', () => {
  it('reports the default emulators: no project role in /me, page_size capped, auth before body', async () => {
    const report = await check({});
    expect(report.problems).toEqual([]);
    expect(verdict(report, '/me carries a per-project role')).toBe('did not hold');
    expect(verdict(report, "the project's service-account list")).toBe('held');
    expect(verdict(report, 'the extension can tell')).toBe('held');
    expect(verdict(report, 'cohorts/list answers a bare array')).toBe('held');
    expect(verdict(report, "page 0 carries the read's total")).toBe('held');
    expect(verdict(report, 'page_size 10000 is honoured')).toBe('did not hold');
    expect(verdict(report, 'a full page names a session_id')).toBe('held');
    expect(verdict(report, 'CleverTap checks the credentials before the body')).toBe('held');
    expect(verdict(report, 'another region answers 401')).toBe('held');
    const text = formatReport(report);
    expect(text).not.toContain(FIXTURE.projectAdmin.secret);
    expect(text).not.toContain(EMULATOR_CREDENTIALS.clevertap.passcode);
  });

  it('reports the pessimistic modes as assumptions that did not hold', async () => {
    const report = await check({
      mixpanel: { maxPageSize: 10_000, modes: { meProjectRole: 'object', meOrganizationRole: 'absent', serviceAccountList: 'absent' } },
      clevertap: { modes: { bodyBeforeAuth: true } },
    });
    expect(verdict(report, '/me carries a per-project role')).toBe('held');
    expect(report.findings.find((finding) => finding.assumption.startsWith('/me carries a per-project role'))?.detail).toContain('{"name":"Admin"}');
    expect(verdict(report, '/me carries the organisation role as a string')).toBe('did not hold');
    expect(verdict(report, "the project's service-account list")).toBe('unknown');
    expect(verdict(report, 'page_size 10000 is honoured')).toBe('held');
    expect(verdict(report, 'CleverTap checks the credentials before the body')).toBe('did not hold');
    expect(verdict(report, 'the extension can tell')).toBe('held');
  });

  it('says which variables are missing, and runs one service alone', () => {
    expect(configFromEnv({})).toMatchObject({ ok: false, message: expect.stringContaining('MIXPANEL_') });
    expect(configFromEnv({ MIXPANEL_USERNAME: 'u' })).toMatchObject({ ok: false, message: expect.stringContaining('MIXPANEL_SECRET') });
    expect(configFromEnv({ CLEVERTAP_ACCOUNT_ID: 'a', CLEVERTAP_PASSCODE: 'p', CLEVERTAP_REGION: 'sk1' })).toMatchObject({
      ok: true,
      config: { clevertap: { region: 'sk1' } },
    });
  });
});
