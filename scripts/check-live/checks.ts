/**
 * The live check: a few harmless calls against the real services, and which assumptions about their
 * undocumented behaviour (the ones the emulators' opt-in modes answer the other way) they show to hold. Nothing is written: Mixpanel is only read, and CleverTap only gets
 * dry-run uploads with no records. Secrets never appear in the report.
 */
import { basicAuth, type Fetch } from '../../lib/http/fetch-json';
import { adminVerdict, projectRole, toMeInfo } from '../../lib/mixpanel/me';
import { meResponseSchema } from '../../lib/mixpanel/schemas';
import { CLEVERTAP_REGIONS, MIXPANEL_REGIONS, type CleverTapRegion, type MixpanelRegion } from '../../lib/regions';

export interface LiveConfig {
  mixpanel?: { username: string; secret: string; projectId: number; region: MixpanelRegion; cohortId?: number };
  clevertap?: { accountId: string; passcode: string; region: CleverTapRegion };
}

export type Verdict = 'held' | 'did not hold' | 'unknown';

/** One assumption about undocumented behaviour that the clients rely on, and what the live call showed. */
export interface Finding {
  assumption: string;
  verdict: Verdict;
  detail: string;
}

export interface LiveReport {
  findings: Finding[];
  /** Calls that could not be made (network, credentials): the report is then partial. */
  problems: string[];
}

const REQUESTED_PAGE_SIZE = 10_000;

export async function runLiveCheck(config: LiveConfig, fetch: Fetch): Promise<LiveReport> {
  const report: LiveReport = { findings: [], problems: [] };
  if (config.mixpanel) await checkMixpanel(config.mixpanel, fetch, report);
  if (config.clevertap) await checkCleverTap(config.clevertap, fetch, report);
  return report;
}

async function checkMixpanel(config: NonNullable<LiveConfig['mixpanel']>, fetch: Fetch, report: LiveReport): Promise<void> {
  const host = MIXPANEL_REGIONS.find((region) => region.id === config.region)!.host;
  const headers = { authorization: basicAuth(config.username, config.secret), accept: 'application/json' };
  const add = (assumption: string, verdict: Verdict, detail: string) => report.findings.push({ assumption, verdict, detail });

  const me = await getJson(fetch, `https://${host}/api/app/me?include_workspace_users=false`, { headers }, report, 'Mixpanel /api/app/me');
  let memberRole: string | undefined;
  if (me.ok) {
    const results = (me.body as { results?: Record<string, unknown> })?.results ?? me.body;
    const project = (results as { projects?: Record<string, Record<string, unknown>> }).projects?.[String(config.projectId)];
    if (!project) {
      report.problems.push(`Mixpanel /me does not list project ${config.projectId}: check the Project ID and the region.`);
    } else {
      add('/me carries a per-project role', project.role === undefined ? 'did not hold' : 'held', `role is ${describeShape(project.role)}`);
      const organization = (results as { organizations?: Record<string, Record<string, unknown>> }).organizations?.[String(project.organization_id)];
      add('/me carries the organisation role as a string', typeof organization?.role === 'string' ? 'held' : 'did not hold', `organisation role is ${describeShape(organization?.role)}`);
      const permissions = Array.isArray(project.permissions) ? (project.permissions as unknown[]) : [];
      add('the project lists the view_base_reports permission', permissions.includes('view_base_reports') ? 'held' : 'did not hold', `permissions: ${permissions.length ? permissions.join(', ') : 'none'}`);
    }
    const members = await getJson(fetch, `https://${host}/api/app/projects/${config.projectId}/service-accounts`, { headers }, report, 'Mixpanel project service accounts', true);
    if (members.ok) {
      const list = (members.body as { results?: { username?: string; role?: unknown }[] }).results ?? [];
      const self = list.find((member) => member.username === config.username);
      memberRole = typeof self?.role === 'string' ? self.role.toLowerCase() : undefined;
      add("the project's service-account list carries this account's role", self?.role === undefined ? 'did not hold' : 'held', `role there is ${describeShape(self?.role)}`);
    } else {
      add("the project's service-account list carries this account's role", 'unknown', `the list answered HTTP ${members.status}`);
    }
    const parsed = meResponseSchema.safeParse(me.body);
    const access = parsed.success ? projectRole(toMeInfo(parsed.data), config.projectId) : undefined;
    if (access) {
      const verdict = adminVerdict(access, memberRole);
      const detail =
        verdict.kind === 'admin' ? `Admin, from the ${verdict.signal}`
        : verdict.kind === 'below-admin' ? `refused: role “${verdict.role}” (${verdict.signal})`
        : 'connects, saying the Admin role could not be confirmed';
      add('the extension can tell that this service account is an Admin', verdict.kind === 'admin' ? 'held' : 'did not hold', detail);
    }
  }

  const query = `project_id=${config.projectId}`;
  const cohorts = await getJson(fetch, `https://${host}/api/query/cohorts/list?${query}`, { method: 'POST', headers }, report, 'Mixpanel cohorts/list');
  let cohortId = config.cohortId;
  if (cohorts.ok) {
    add('cohorts/list answers a bare array', Array.isArray(cohorts.body) ? 'held' : 'did not hold', Array.isArray(cohorts.body) ? `${cohorts.body.length} cohorts` : 'not an array');
    if (cohortId === undefined && Array.isArray(cohorts.body)) cohortId = (cohorts.body[0] as { id?: number } | undefined)?.id;
  }
  if (cohortId === undefined) {
    report.problems.push('No cohort to read page 0 of: set MIXPANEL_COHORT_ID, or create a cohort.');
    return;
  }
  const form = new URLSearchParams({
    filter_by_cohort: JSON.stringify({ id: cohortId }),
    include_all_users: 'false',
    output_properties: JSON.stringify(['$CleverTap_user_id']),
    page_size: String(REQUESTED_PAGE_SIZE),
  });
  const page = await getJson(
    fetch,
    `https://${host}/api/query/engage?${query}&page_size=${REQUESTED_PAGE_SIZE}`,
    { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
    report,
    `Mixpanel engage, page 0 of cohort ${cohortId}`,
  );
  if (!page.ok) return;
  const body = page.body as { total?: unknown; page_size?: unknown; session_id?: unknown; results?: { $distinct_id?: unknown }[] };
  add("page 0 carries the read's total", typeof body.total === 'number' ? 'held' : 'did not hold', `total is ${describeShape(body.total)}`);
  add(`page_size ${REQUESTED_PAGE_SIZE} is honoured`, body.page_size === REQUESTED_PAGE_SIZE ? 'held' : 'did not hold', `the server used page_size ${String(body.page_size)}`);
  const rows = body.results?.length ?? 0;
  const full = typeof body.page_size === 'number' && rows >= body.page_size;
  add('a full page names a session_id to page on', !full ? 'unknown' : typeof body.session_id === 'string' ? 'held' : 'did not hold', full ? `session_id is ${describeShape(body.session_id)}` : `the cohort fits one page (${rows} rows)`);
  const ids = body.results?.map((row) => typeof row.$distinct_id) ?? [];
  add('$distinct_id comes as a string or a number', ids.every((type) => type === 'string' || type === 'number') ? 'held' : 'did not hold', ids.length ? `types seen: ${[...new Set(ids)].join(', ')}` : 'no rows');
}

async function checkCleverTap(config: NonNullable<LiveConfig['clevertap']>, fetch: Fetch, report: LiveReport): Promise<void> {
  const probe = async (region: CleverTapRegion, passcode: string) => {
    const host = CLEVERTAP_REGIONS.find((candidate) => candidate.id === region)!.host;
    try {
      const response = await fetch(`https://${host}/1/upload?dryRun=1`, {
        method: 'POST',
        headers: { 'X-CleverTap-Account-Id': config.accountId, 'X-CleverTap-Passcode': passcode, 'Content-Type': 'application/json' },
        body: JSON.stringify({ d: [] }),
      });
      await response.body?.cancel();
      return response.status;
    } catch {
      return undefined;
    }
  };
  const right = await probe(config.region, config.passcode);
  if (right === undefined) {
    report.problems.push('CleverTap could not be reached.');
    return;
  }
  const add = (assumption: string, verdict: Verdict, detail: string) => report.findings.push({ assumption, verdict, detail });
  add('the credential check (dry-run upload of no records) accepts good credentials', right >= 200 && right < 300 ? 'held' : 'did not hold', `HTTP ${right}`);
  // A passcode that cannot be right: it shows whether CleverTap checks credentials before the body.
  const wrong = await probe(config.region, `${config.passcode}-not-valid`);
  add('CleverTap checks the credentials before the body (bad credentials get 401)', wrong === 401 ? 'held' : 'did not hold', `HTTP ${wrong ?? 'no answer'} for a wrong passcode`);
  const other = CLEVERTAP_REGIONS.find((region) => region.id !== config.region)!;
  const elsewhere = await probe(other.id, config.passcode);
  add('another region answers 401 to these credentials', elsewhere === 401 ? 'held' : 'did not hold', `${other.label} (${other.host}) answered HTTP ${elsewhere ?? 'nothing'}`);
}

async function getJson(
  fetch: Fetch,
  url: string,
  init: RequestInit,
  report: LiveReport,
  what: string,
  quiet = false,
): Promise<{ ok: true; body: unknown } | { ok: false; status?: number }> {
  try {
    const response = await fetch(url, { method: 'GET', ...init });
    const text = await response.text();
    if (!response.ok) {
      if (!quiet) report.problems.push(`${what} answered HTTP ${response.status}.`);
      return { ok: false, status: response.status };
    }
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    if (!quiet) report.problems.push(`${what} could not be read (network or not JSON).`);
    return { ok: false };
  }
}

function describeShape(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string "${value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  return `${Array.isArray(value) ? 'an array' : 'an object'} ${JSON.stringify(value).slice(0, 80)}`;
}

export function formatReport(report: LiveReport): string {
  const mark: Record<Verdict, string> = { held: '✓ held        ', 'did not hold': '✗ did not hold', unknown: '? unknown     ' };
  const lines = ['Cohort Sync live check: which assumptions about undocumented behaviour held (nothing was written)', ''];
  for (const finding of report.findings) {
    lines.push(`${mark[finding.verdict]}  ${finding.assumption}: ${finding.detail}`);
  }
  if (report.problems.length) lines.push('', 'Not checked:', ...report.problems.map((problem) => `  - ${problem}`));
  return lines.join('\n');
}
