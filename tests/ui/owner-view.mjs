// Tools → Fastbeat and Site Health in a real browser (Debian's Chromium, headless, driven
// by playwright-core) on the test bed: logs in as the administrator, checks that the
// figures the owner's view shows are the ones the workers counted, that the Site Health
// test says whether the lane is serving, and saves screenshots.
//
//   node tests/ui/owner-view.mjs <site URL> <fastbeat port> <tally file> <expected JSON> <screenshot dir>
//
// The site answers on every test bed port under one Host (the site URL's); the browser
// reaches the fastbeat variant through it as an HTTP proxy, so it sends that Host.
//
// <expected JSON>: {"paths": [native, nopriv, full]} as the workers' tallies add up (the
// runner, tests/ui/run.sh, flushes them first). Last line: "N passed, N failed".
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [base, fastPort, tallyFile, expectedJson, shots] = process.argv.slice(2);
const expected = JSON.parse(expectedJson);
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}`);
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--proxy-server=http://127.0.0.1:${fastPort}`, '--proxy-bypass-list=<-loopback>'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(`${base}/wp-login.php`);
  await page.fill('#user_login', process.env.FASTBEAT_ADMIN_USER);
  await page.fill('#user_pass', process.env.FASTBEAT_ADMIN_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
  check('logged in', page.url().includes('/wp-admin'), page.url());

  // The Plugins row links to the report and says whether the lane serves.
  await page.goto(`${base}/wp-admin/plugins.php`);
  const row = await page.locator('.fastbeat-lane').first().textContent().catch(() => '');
  check('Plugins row: the lane line', /Fast lane: (serving|not serving)/.test(row || ''), row);
  check('Plugins row: the report link', await page.locator('a[href*="tools.php?page=fastbeat"]').count() > 0);

  await page.goto(`${base}/wp-admin/tools.php?page=fastbeat`);
  const tally = JSON.parse(readFileSync(tallyFile, 'utf8'));
  const shown = {};
  for (const key of ['native', 'nopriv', 'full']) {
    const text = await page.locator(`.fastbeat-owner-paths tr[data-path="${key}"] td.count`).textContent();
    shown[key] = Number(text.replace(/[^0-9]/g, ''));
  }
  const fromFile = { native: tally.paths[0], nopriv: tally.paths[1], full: tally.paths[2] };
  check('owner view: counts are the tally file\'s', JSON.stringify(shown) === JSON.stringify(fromFile),
    `shown ${JSON.stringify(shown)}, file ${JSON.stringify(fromFile)}`);
  const want = { native: expected.paths[0], nopriv: expected.paths[1], full: expected.paths[2] };
  check('owner view: counts are what the workers counted', JSON.stringify(shown) === JSON.stringify(want),
    `shown ${JSON.stringify(shown)}, workers ${JSON.stringify(want)}`);
  const status = await page.locator('.fastbeat-owner-status').textContent();
  check('owner view: says whether the lane serves', /Fast lane: (serving|not serving)/.test(status), status);
  check('owner view: the chart', await page.locator('svg.fastbeat-owner-chart rect').count() > 0);
  const saved = await page.locator('.fastbeat-owner-saved').textContent().catch(() => '');
  check('owner view: CPU saved, measured here', /saved: [0-9.,]+ seconds/.test(saved || ''), saved);
  await page.screenshot({ path: `${shots}/owner-view.png`, fullPage: true });

  // Site Health runs its direct tests in the page.
  await page.goto(`${base}/wp-admin/site-health.php`);
  await page.waitForSelector('.health-check-body .site-health-view-passed, #health-check-site-status-critical, .health-check-accordion', { timeout: 30000 });
  await page.waitForTimeout(3000);
  const body = await page.locator('body').textContent();
  check('Site Health: the lane test', /The Fastbeat fast lane is (serving|not serving) heartbeats/.test(body),
    (body.match(/The Fastbeat fast lane[^.]*/) || [''])[0]);
  const passedToggle = page.locator('.site-health-view-passed');
  if (await passedToggle.count()) await passedToggle.click().catch(() => {});
  const item = page.locator('button', { hasText: 'Fastbeat fast lane' }).first();
  if (await item.count()) await item.click().catch(() => {});
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${shots}/site-health.png`, fullPage: true });
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
