// Hawtio in a real browser: headless Chromium logs in through the connector's login page, opens Hawtio's Camel
// routes, checks that they are listed by id, opens the sync-run and provisioning diagrams, checks that their steps show
// their ids, and saves screenshots in target/. Exit 0 when all of it holds, 1 otherwise (each failure is printed).
//
// mvn verify runs it (HawtioBrowserIT: the app against the emulator, playwright-core installed under target/). By hand:
//   mvn spring-boot:test-run            # in another terminal; note the printed admin login
//   npm install --prefix /tmp/pw --no-save --no-package-lock playwright-core@1.65.1   # Debian's chromium: apt-get install chromium
//   NODE_PATH=/tmp/pw/node_modules node scripts/hawtio-browser-check.mjs admin <password> [http://localhost:8080]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [user, password, base = 'http://localhost:8080'] = process.argv.slice(2);
if (!user || !password) {
  console.error('usage: node scripts/hawtio-browser-check.mjs <user> <password> [base-url]');
  process.exit(2);
}
// the steps each diagram must name (ids from routes/sync-run.yaml and routes/provisioning.yaml)
const DIAGRAMS = {
  'sync-run': ['open-sync-record', 'fetch-users-and-groups', 'check-drop-guard', 'complete-sync'],
  'provisioning': ['read-request', 'carry-out-operation'],
};
const ROUTES = ['sync-run', 'seismic-api-call', 'provisioning', 'sync-users-fetch', 'c1-poll'];
const WAIT = 60_000; // a loaded machine is slow to draw; every wait below ends as soon as what it waits for is there

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1500, height: 1400 } });
const failures = [];

try {
  await page.goto(`${base}/actuator/hawtio/`);
  const askedForLogin = await page.locator('input[name="username"]').count() > 0;
  console.log(`login asked: ${askedForLogin} (${page.url()})`);
  if (!askedForLogin) failures.push('no login page');
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForLoadState('networkidle'), page.click('button[type="submit"]')]);

  await page.goto(`${base}/actuator/hawtio/camel/routes`);
  const treeItem = id => page.locator('[class*="tree-view__node-text"]').filter({ hasText: new RegExp(`^${id}$`) }).first();
  for (const id of ROUTES) {
    const shown = await treeItem(id).waitFor({ timeout: WAIT }).then(() => true, () => false);
    console.log(`route ${id} shown: ${shown}`);
    if (!shown) failures.push(`route ${id} not listed`);
  }
  await page.screenshot({ path: 'target/hawtio-routes.png' });

  for (const [route, steps] of Object.entries(DIAGRAMS)) {
    const item = treeItem(route);
    await item.scrollIntoViewIfNeeded();
    await item.click();
    await page.getByText('Route Diagram', { exact: true }).first().click();
    const nodes = page.locator('.react-flow__node');
    const drawn = await nodes.first().waitFor({ timeout: WAIT }).then(() => true, () => false);
    const labels = drawn ? (await nodes.allInnerTexts()).map(l => l.replace(/\s+/g, ' ').trim()) : [];
    console.log(`${route} diagram: ${labels.length} nodes: ${labels.join(' | ')}`);
    if (!drawn) failures.push(`no ${route} diagram`);
    for (const step of steps) {
      if (drawn && !labels.some(l => l.includes(`ID: ${step}`))) failures.push(`${route} diagram lacks step ${step}`);
    }
    const generated = labels.filter(l => /ID: (bean|to|toD|choice|when|otherwise|multicast|split|filter|setHeader|setProperty|log|process)\d+\)/.test(l));
    if (generated.length) failures.push(`${route} diagram has generated ids: ${generated.join(' | ')}`);
    await page.screenshot({ path: `target/hawtio-${route}.png`, fullPage: true });
  }
} catch (e) {
  failures.push(`browser: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
}
console.log(failures.length ? `FAILED: ${failures.join('; ')}` : 'OK: login, routes by id, and the sync-run and provisioning diagrams with named steps (screenshots in target/)');
process.exit(failures.length ? 1 : 0);
