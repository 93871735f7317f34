/**
 * Turns Mixpanel's error answers into messages that tell the user what to do. Server text is
 * quoted only after it is tidied and scrubbed of the secret, in case a proxy echoes the request.
 */
import { tidyServerText, type QueryLoad } from '../http/errors';
import { MIXPANEL_REGIONS, type MixpanelRegion } from './regions';
import { errorTextFromBody } from './schemas';

export interface ErrorContext {
  projectId: number;
  region: MixpanelRegion;
  secret: string;
}

/**
 * Reads "N/5 queries running concurrently and M/60 queries running in the last hour" from a 429
 * (https://docs.mixpanel.com/reference/rate-limits; the wording as quoted in
 * https://github.com/airbytehq/airbyte/issues/9410).
 */
export function parseQueryLoad(text: string): QueryLoad {
  const load: QueryLoad = {};
  const concurrent = /(\d+)\s*\/\s*(\d+)\s+queries running concurrently/i.exec(text);
  const hourly = /(\d+)\s*\/\s*(\d+)\s+queries running in the last hour/i.exec(text);
  if (concurrent) load.concurrent = { used: Number(concurrent[1]), limit: Number(concurrent[2]) };
  if (hourly) load.hourly = { used: Number(hourly[1]), limit: Number(hourly[2]) };
  return load;
}

export function describeMixpanelError(
  status: number,
  body: string,
  context: ErrorContext,
): { message: string; load?: QueryLoad } {
  const said = serverSaid(body, context.secret);
  const quote = said ? ` (Mixpanel said: ${said})` : '';
  const project = `project ${context.projectId}`;
  if (status === 401) {
    const region = MIXPANEL_REGIONS[context.region];
    return {
      message:
        `Mixpanel rejected the service account: check its username and secret, and that it belongs to ${project}` +
        ` and the project's data is stored in the ${region.label} region (${region.host}).${quote}`,
    };
  }
  if (status === 403) {
    return {
      message:
        `The service account may not query ${project}: give it the Analyst role or higher on that project ` +
        `in Mixpanel's project settings.${quote}`,
    };
  }
  if (status === 429) {
    const load = parseQueryLoad(errorTextFromBody(body) || body);
    const figures = [
      load.concurrent && `${load.concurrent.used}/${load.concurrent.limit} running now`,
      load.hourly && `${load.hourly.used}/${load.hourly.limit} in the last hour`,
    ].filter(Boolean);
    const detail = figures.length ? ` (${figures.join(', ')})` : '';
    return {
      message: `Mixpanel's query limit for ${project} is reached${detail}; the sync waits and tries again.`,
      load,
    };
  }
  if (status >= 500) {
    return { message: `Mixpanel had a server error (HTTP ${status}); the sync will try again later.${quote}` };
  }
  if (status === 404) {
    return { message: `Mixpanel could not find what was asked for in ${project} (HTTP 404).${quote}` };
  }
  return {
    message:
      `Mixpanel refused the request for ${project} (HTTP ${status}): check that the cohort still exists and ` +
      `that the data view (workspace) setting is right.${quote}`,
  };
}

function serverSaid(body: string, secret: string): string {
  let text = errorTextFromBody(body);
  if (secret) text = text.split(secret).join('***');
  text = text.replace(/Basic\s+[A-Za-z0-9+/=]+/gi, 'Basic ***');
  return tidyServerText(text, 200);
}
