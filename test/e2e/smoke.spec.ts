import type { Emulator } from '../emulators/hub';
import { sendJson } from '../emulators/faults';
import { expect, sendFromExtensionPage, test } from './fixtures';

/** Answers with what it saw, so the test can tell the request crossed the real network path. */
const echo: Emulator = {
  hosts: ['mixpanel.com', 'api.clevertap.com'],
  async handle(request, response) {
    sendJson(response, 200, { host: request.host, path: request.url.pathname, method: request.method });
  },
};

// eslint-disable-next-line no-empty-pattern
test.use({ emulators: async ({}, use) => use([echo]) });

test('the service worker reaches production URLs, answered by the emulators', async ({ serviceWorker }) => {
  const answer = await serviceWorker.evaluate(async () => {
    const response = await fetch('https://mixpanel.com/api/app/me');
    return response.json();
  });
  expect(answer).toEqual({ host: 'mixpanel.com', path: '/api/app/me', method: 'GET' });
});

test('the harness stops the service worker; the next message starts a fresh one', async ({
  context,
  extensionId,
  stopWorker,
}) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/manifest.json`);
  const ping = async () =>
    (await sendFromExtensionPage<{ value: { startedAt: number } }>(page, { type: 'ping' })).value;
  const before = await ping();
  await stopWorker();
  const after = await ping();
  expect(after.startedAt).toBeGreaterThan(before.startedAt);
});
