// Hawtio in a real browser: headless Chromium logs in through the connector's login page, opens Hawtio's Camel
// routes and a route diagram, checks that the route ids are shown, and saves screenshots.
//
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
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const failures = [];

await page.goto(`${base}/actuator/hawtio/`);
const askedForLogin = await page.locator('input[name="username"]').count() > 0;
console.log(`login asked: ${askedForLogin} (${page.url()})`);
if (!askedForLogin) failures.push('no login page');
await page.fill('input[name="username"]', user);
await page.fill('input[name="password"]', password);
await Promise.all([page.waitForLoadState('networkidle'), page.click('button[type="submit"]')]);

await page.goto(`${base}/actuator/hawtio/camel/routes`);
await page.waitForTimeout(4000);
const routes = await page.content();
for (const id of ['sync-run', 'seismic-api-call', 'provisioning']) {
  const shown = routes.includes(id);
  console.log(`route ${id} shown: ${shown}`);
  if (!shown) failures.push(`route ${id} not shown`);
}
await page.screenshot({ path: 'target/hawtio-routes.png' });

await page.goto(`${base}/actuator/hawtio/camel/routeDiagram`);
await page.waitForTimeout(4000);
const diagram = await page.locator('.react-flow__node, [data-testid="rf__wrapper"], svg').count();
console.log(`diagram elements: ${diagram}`);
if (diagram === 0) failures.push('no route diagram');
await page.screenshot({ path: 'target/hawtio-diagram.png' });

await browser.close();
console.log(failures.length ? `FAILED: ${failures.join('; ')}` : 'OK: login, routes and diagram shown (screenshots in target/)');
process.exit(failures.length ? 1 : 0);
