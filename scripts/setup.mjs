// Makes a fresh clone ready for tests and the demo: npm packages from the lock file, and Debian's
// Chromium when it is missing, and with --firefox (npm test) Debian's Firefox ESR too. Quick no-op when
// all are already in place.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (command) => execSync(command, { stdio: 'inherit' });

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  console.log('Installing npm packages (npm ci)…');
  run('npm ci --no-audit --no-fund');
}

const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
const browsers = [
  { name: 'Chromium', path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', apt: 'chromium', env: 'CHROMIUM_PATH' },
  ...(process.argv.includes('--firefox')
    ? [{ name: 'Firefox ESR', path: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', apt: 'firefox-esr', env: 'FIREFOX_PATH' }]
    : []),
];
const missing = browsers.filter((browser) => !existsSync(browser.path));
if (missing.length > 0) {
  if (canApt) {
    console.log(`Installing Debian ${missing.map((browser) => browser.apt).join(' and ')}…`);
    const packages = missing.map((browser) => browser.apt).join(' ');
    run(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages}`);
  } else {
    for (const browser of missing) {
      console.error(`${browser.name} not found at ${browser.path}. Install it (sudo apt-get install ${browser.apt}) or set ${browser.env}.`);
    }
    process.exit(1);
  }
}
