// The web app in Debian's Chromium, as people use it: a focal point, the
// secretariat, a partner and a viewer, from a need to its delivery; once
// with JavaScript and once without; in Arabic; and against crafted posts.
// Every page visited with JavaScript is checked with axe-core, and each step
// leaves a screenshot in $SCREENSHOTS.
//
// Run by crates/needsdb/tests/e2e/browser.rs, which starts the server and
// creates the accounts; it passes BASE, CHROMIUM, SCREENSHOTS and ACCOUNTS
// (JSON: one set of accounts per pass, with one-time passwords).
import { chromium, request } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const BASE = process.env.BASE;
const SHOTS = process.env.SCREENSHOTS;
const ACCOUNTS = JSON.parse(process.env.ACCOUNTS);
fs.mkdirSync(SHOTS, { recursive: true });

let failures = 0;
function check(ok, what) {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    failures += 1;
    console.log(`FAIL ${what}`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
});

// Chromium now and then cannot capture a frame ("Unable to capture
// screenshot", puppeteer#5341, upstream; seen once in CI on 2026-12-04).
// The screenshot is a record for people, not a check, so that one error
// gets one more try; any other error, or a second failure, still fails.
async function screenshot(page, file) {
  try {
    await page.screenshot({ path: file, fullPage: true });
  } catch (e) {
    if (!String(e && e.message).includes('Unable to capture screenshot')) throw e;
    await page.waitForTimeout(500);
    await page.screenshot({ path: file, fullPage: true });
  }
}

let shot = 0;
async function step(page, pass, name, { axe = true } = {}) {
  shot += 1;
  const file = path.join(SHOTS, `${String(shot).padStart(2, '0')}-${pass}-${name}.png`);
  await screenshot(page, file);
  if (axe) {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    check(bad.length === 0, `${pass}/${name}: axe finds no serious or critical violation`
      + (bad.length ? ` (${bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')})` : ''));
  }
}

async function signIn(page, pass, who, password, { first = false } = {}) {
  await page.goto(`${BASE}/en/sign-in`);
  if (first && who.role === 'focal_point') await step(page, pass, 'sign-in', { axe: pass === 'js' });
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (first) {
    check(page.url().endsWith('/en/password'), `${pass}: ${who.role} is sent to change the one-time password`);
    await step(page, pass, `${who.role}-one-time-password`, { axe: pass === 'js' });
    await page.getByLabel('Current password').fill(password);
    await page.getByLabel('New password').fill(who.newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    check((await page.content()).includes('Your password was changed'), `${pass}: ${who.role} changed the password`);
  }
}

// Every table's downloads on the page: each answers a file of its kind;
// the CSV of table `n` holds `expect[n]` when given.
async function downloads(page, pass, where, expect = []) {
  const hrefs = await page.locator('main p.downloads a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  let ok = hrefs.length > 0 && hrefs.length % 2 === 0;
  const problems = [];
  for (const href of hrefs) {
    const r = await page.request.get(`${BASE}${href}`);
    const body = await r.body();
    const n = Number(new URL(href, BASE).searchParams.get('download'));
    if (href.endsWith('format=xlsx')) {
      if (r.status() !== 200 || body.subarray(0, 2).toString() !== 'PK') { ok = false; problems.push(href); }
    } else if (r.status() !== 200 || (expect[n] && !body.toString('utf8').includes(expect[n]))) {
      ok = false; problems.push(href);
    }
  }
  check(ok, `${pass}: every table on ${where} downloads as CSV and Excel (${hrefs.length} links)${problems.length ? ` failing: ${problems.join(' ')}` : ''}`);
}

// What the dashboard shows of one state for one item: the map's colour,
// the cluster bars and the equity panel.
async function dashboardState(page, country, item) {
  await page.goto(`${BASE}/en/dashboard?item=${item}&show=arrived`);
  const shape = page.locator(`svg.map a[data-iso3="${country}"] path, svg.map a[data-iso3="${country}"] circle`).first();
  return {
    fill: await shape.getAttribute('fill'),
    bars: await page.locator('svg.chart').first().innerHTML(),
    equity: (await page.locator('section[aria-labelledby=fair]').count()) ? await page.locator('section[aria-labelledby=fair]').innerText() : '',
  };
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
}

async function journey(pass, acc) {
  const context = await browser.newContext({ javaScriptEnabled: pass === 'js' });
  const page = await context.newPage();
  // axe-core runs in the page: only where JavaScript runs (the pages are the same).
  const axe = pass === 'js';
  const { focal, secretariat, partner } = acc;
  for (const who of [focal, secretariat, partner]) who.newPassword = `${who.role} walks to the river ${pass}`;

  // The public overview, before anyone signs in.
  await page.goto(`${BASE}/en/`);
  check(await page.title() === 'What is still needed – needsdb', `${pass}: the overview has its title`);
  await step(page, pass, 'overview', { axe });

  // The focal point: first sign-in, a form error, then a need submitted.
  await signIn(page, pass, focal, focal.password, { first: true });
  await page.goto(`${BASE}/en/needs/new`);
  await step(page, pass, 'new-need', { axe });
  await page.getByLabel('Quantity').fill('');
  await page.getByRole('button', { name: 'Save and submit for validation' }).click();
  check((await page.title()).startsWith('Error:'), `${pass}: a failed submission's title starts with Error:`);
  const links = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  let linked = links.length > 0;
  for (const href of links) linked = linked && (await page.locator(href).count()) === 1;
  check(linked && links.includes('#item'), `${pass}: the error summary links to each field in error (${links.join(' ')})`);
  check(await page.getByLabel('Place').inputValue() === '', `${pass}: the form kept what was typed`);
  await step(page, pass, 'new-need-error', { axe });
  await page.getByLabel('Item').selectOption('BIO-O2-CONCENTRATOR');
  await page.getByLabel('Quantity').fill('200');
  await page.getByLabel('Needed by').fill('2027-06-30');
  await page.getByLabel('Place').fill('Turkana');
  await page.getByRole('button', { name: 'Save and submit for validation' }).click();
  const needUrl = page.url().split('?')[0];
  const needId = needUrl.split('/').pop();
  check(/^\d+$/.test(needId), `${pass}: the need was saved (${needUrl})`);
  check((await page.content()).includes('submitted'), `${pass}: the need is submitted`);
  await step(page, pass, 'need-submitted', { axe });
  // Evidence: a link to the assessment.
  await page.getByLabel('Link').fill('https://example.org/assessment-2027.pdf');
  await page.locator('#title').fill('Rapid needs assessment, May 2027');
  await page.getByRole('button', { name: 'Add the link' }).click();
  const withLink = await page.content();
  check(withLink.includes('The evidence was added') && withLink.includes('Rapid needs assessment, May 2027'),
    `${pass}: the focal point added a link as evidence`);
  // A second need for the same item elsewhere: a partner pledges against both at once.
  await page.goto(`${BASE}/en/needs/new`);
  await page.getByLabel('Item').selectOption('BIO-O2-CONCENTRATOR');
  await page.getByLabel('Quantity').fill('50');
  await page.getByLabel('Needed by').fill('2027-07-31');
  await page.getByLabel('Place').fill('Lodwar');
  await page.getByRole('button', { name: 'Save and submit for validation' }).click();
  const otherUrl = page.url().split('?')[0];
  const otherId = otherUrl.split('/').pop();
  await signOut(page);

  // The secretariat validates it, with a note.
  await signIn(page, pass, secretariat, secretariat.password, { first: true });
  await page.goto(needUrl);
  await page.getByLabel('Note').fill('Checked against the ministry assessment');
  await page.getByRole('button', { name: 'Validate' }).click();
  check((await page.content()).includes('validated'), `${pass}: the secretariat validated the need`);
  check((await page.content()).includes('Checked against the ministry assessment'), `${pass}: the note is in the history`);
  await step(page, pass, 'need-validated', { axe });
  const historyText = await page.locator('main table').last().innerText();
  check(!historyText.includes('user:') && historyText.includes(`focal point, ${focal.country === 'KEN' ? 'Kenya' : 'Uganda'}`),
    `${pass}: the history names who acted by role and country, not by an internal id`);
  await page.goto(otherUrl);
  await page.getByRole('button', { name: 'Validate' }).click();

  // A second need goes back to the focal point with the reason.
  if (pass === 'js') {
    await page.goto(`${BASE}/en/needs?status=submitted`);
    await step(page, pass, 'needs-list', { axe });
  }

  // Every filter the API has: the validated need is found by its WHO region.
  await page.goto(`${BASE}/en/needs?who_region=${focal.country === 'KEN' ? 'AFR' : 'AFR'}&status=validated`);
  check(await page.locator(`main a[href="/en/needs/${needId}"]`).count() === 1, `${pass}: the need is found by WHO region and status`);
  for (const name of ['Download CSV', 'Download Excel']) {
    const link = await page.getByRole('link', { name }).getAttribute('href');
    const file = await page.request.get(`${BASE}${link}`);
    const body = (await file.body()).toString('latin1');
    check(file.status() === 200 && link.includes('who_region=AFR') && link.includes('status=validated'),
      `${pass}: ${name} keeps the filters (${link})`);
    if (name === 'Download CSV') check(body.includes(needId), `${pass}: the CSV holds the need`);
  }
  await page.goto(`${BASE}/en/needs?needed_from=soon`);
  check((await page.title()).startsWith('Error:'), `${pass}: a filter that is not a date is named, not a crash`);
  if (pass === 'nojs') {
    // Without JavaScript the supply slider stays hidden; the form previews instead.
    await page.goto(`${BASE}/en/allocations?item=BIO-O2-CONCENTRATOR&quantity=50&policy=need-proportional`);
    check(!(await page.locator('#supply-slider').isVisible()) && (await page.content()).includes('Checks')
      && await page.locator('#allocation-result tbody tr').count() > 0,
      'nojs: the allocation preview works, and the slider that needs a script is hidden');
  }

  if (pass === 'js') {
    // Suspected duplicates, the catalogue and an allocation, as the secretariat.
    await page.goto(`${BASE}/en/duplicates`);
    await step(page, pass, 'duplicates', { axe });
    await page.goto(`${BASE}/en/catalogue`);
    await downloads(page, pass, 'the catalogue', ['BIO-O2-CONCENTRATOR']);
    await page.getByLabel('Item code').fill('SHL-TEST-KIT');
    await page.getByLabel('Name in English').fill('Winterisation test kit');
    await page.getByLabel('Cluster').selectOption('shelter');
    await page.getByLabel('Category').fill('shelter_items');
    await page.getByLabel('Unit', { exact: true }).fill('kit');
    await page.getByLabel('OECD DAC sector').fill('72010');
    await page.getByRole('button', { name: 'Add the item' }).click();
    check((await page.content()).includes('Winterisation test kit'), 'js: the secretariat added an item to the catalogue');
    await page.getByRole('button', { name: 'Retire SHL-TEST-KIT' }).click();
    check((await page.content()).includes('The catalogue was changed'), 'js: the secretariat retired it');
    await step(page, pass, 'catalogue', { axe });
    // An item edited in place: a new indicative value.
    await page.getByRole('link', { name: 'BIO-O2-CONCENTRATOR', exact: true }).click();
    await step(page, pass, 'item-edit', { axe });
    await page.locator('#unit_value_usd').fill('720');
    await page.getByLabel('Where the value comes from').fill('Supplier quotation, November 2026');
    await page.getByLabel('Date of the value').fill('2026-11-15');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const edited = await page.content();
    check(edited.includes('The catalogue was changed') && edited.includes('720'),
      `js: the secretariat edited an item in place${edited.includes('error-summary') ? ` (${await page.locator('.error-summary').innerText()})` : ''}`);
    await page.goto(`${BASE}/en/catalogue/BIO-O2-CONCENTRATOR`);
    const itemHistory = await page.locator('main table').innerText();
    check(itemHistory.includes('unit_value_usd') && itemHistory.includes('720'), 'js: the item\'s history shows the new value');
    await downloads(page, pass, 'the item history', ['720']);
    // An organisation that passes contributions on.
    await page.goto(`${BASE}/en/organisations`);
    await page.getByLabel('Code').fill('');
    await page.getByRole('button', { name: 'Add the organisation' }).click();
    check((await page.title()).startsWith('Error:'), 'js: an organisation without a code is refused, by field');
    await page.getByLabel('Code').fill('TESTAID');
    await page.getByLabel('Name', { exact: true }).fill('Test Aid International');
    await page.getByLabel('Type').selectOption('ngo');
    await page.getByRole('button', { name: 'Add the organisation' }).click();
    const orgs = await page.content();
    check(orgs.includes('The organisation was added') && orgs.includes('Test Aid International'), 'js: the secretariat added an organisation');
    await step(page, pass, 'organisations', { axe });
    await downloads(page, pass, 'the organisations', ['TESTAID']);
    await page.goto(`${BASE}/en/allocations`);
    await page.getByLabel('Item', { exact: true }).selectOption('BIO-O2-CONCENTRATOR');
    await page.getByLabel('Supply', { exact: true }).fill('50');
    await page.getByLabel('Rule').selectOption('need-proportional');
    await page.getByRole('button', { name: 'Preview the shares' }).click();
    const preview = await page.content();
    check(preview.includes('Kenya') && preview.includes('Checks'), 'js: the allocation preview shows each share and the checks');
    await step(page, pass, 'allocation-preview', { axe });
    check(page.url().includes('item=BIO-O2-CONCENTRATOR') && page.url().includes('quantity=50'),
      'js: the preview\'s address holds its inputs, so it can be shared');
    await downloads(page, pass, 'the allocation preview', ['Kenya']);
    // The supply slider: the shares move as it moves, with the server's rule.
    const kenyaShare = async () => (await page.locator('#allocation-result tbody tr', { hasText: 'Kenya' }).first()
      .locator('td').nth(1).innerText()).trim();
    const at50 = await kenyaShare();
    check(await page.locator('#supply-slider').isVisible(), 'js: the supply slider is shown');
    await page.locator('#supply-slider').fill('100');
    await page.waitForURL(/quantity=100(&|$)/);
    const at100 = await kenyaShare();
    check(at100 !== at50 && (await page.locator('#allocation-result .summary').innerText()).includes('100')
      && await page.getByLabel('Supply', { exact: true }).inputValue() === '100',
      `js: moving the slider to 100 moves the shares (Kenya ${at50} → ${at100})`);
    await step(page, pass, 'allocation-slider', { axe });
    await page.locator('#supply-slider').fill('50');
    await page.waitForURL(/quantity=50(&|$)/);
    check(await kenyaShare() === at50 && await page.locator('form input[type=hidden][name=quantity]').first().inputValue() === '50',
      'js: back at 50, the shares and the form that saves them are as before');
    await page.getByLabel('Supplier').fill('WHO');
    await page.getByRole('button', { name: 'Save as a proposal' }).click();
    check(/\/allocations\/\d+$/.test(page.url()), 'js: the allocation was saved as a proposal');
    await page.getByRole('button', { name: 'Commit: record the contributions' }).click();
    check((await page.locator('.summary .tag').innerText()) === 'committed', 'js: the proposal was committed');
    await step(page, pass, 'allocation-committed', { axe });
    // The priority rule, shared by need within each priority, over a what-if list.
    await page.goto(`${BASE}/en/allocations`);
    await page.getByLabel('Item', { exact: true }).selectOption('BIO-O2-CONCENTRATOR');
    await page.getByLabel('Supply', { exact: true }).fill('10');
    await page.getByLabel('Rule').selectOption('priority');
    await page.getByLabel('Within each priority, share by').selectOption('need-proportional');
    await page.getByLabel('Take nothing from the database: use only the figures above').check();
    await page.getByRole('button', { name: 'Preview the shares' }).click();
    // The recipients come from a CSV file, loaded into the form; the other inputs stay.
    await page.locator('#recipients_file').setInputFiles({ name: 'what-if.csv', mimeType: 'text/csv',
      buffer: Buffer.from('\ufeffiso3,need\nKEN,30\nUGA,10\n') });
    await page.getByRole('button', { name: 'Load the file' }).click();
    check((await page.getByLabel('What-if recipients (CSV)').inputValue()).includes('KEN,30')
      && await page.getByLabel('Take nothing from the database: use only the figures above').isChecked()
      && await page.getByLabel('Within each priority, share by').inputValue() === 'need-proportional',
      'js: a recipients file is loaded into the form, the other inputs kept');
    await step(page, pass, 'allocation-recipients-file', { axe });
    await page.getByRole('button', { name: 'Preview the shares' }).click();
    const whatIf = await page.locator('main table').first().innerText();
    check(page.url().includes('within=need-proportional') && whatIf.includes('Kenya') && whatIf.includes('Uganda')
      && !(await page.title()).startsWith('Error:'), 'js: a what-if preview by priority, shared by need within it');
    await step(page, pass, 'allocation-what-if', { axe });
  }
  await signOut(page);

  // The partner pledges, then commits and ships.
  await signIn(page, pass, partner, partner.password, { first: true });
  await page.goto(needUrl);
  await page.getByRole('link', { name: 'Record the pledge' }).click();
  await page.getByLabel('Quantity').fill('100');
  await step(page, pass, 'pledge-form', { axe });
  await page.getByRole('button', { name: 'Record the pledge' }).click();
  const contributionUrl = page.url().split('?')[0];
  check(/\/contributions\/\d+$/.test(contributionUrl), `${pass}: the pledge was recorded (${contributionUrl})`);
  await page.getByRole('button', { name: 'Move to this stage: committed' }).click();
  await page.getByRole('button', { name: 'Move to this stage: shipped' }).click();
  check((await page.locator('.summary .tag').innerText()) === 'shipped', `${pass}: the partner moved the pledge to shipped`);
  await step(page, pass, 'shipped', { axe });
  // One pledge against both needs, ticked in the list (the boxes sit outside
  // their form, joined by the form attribute, so no script is needed).
  await page.goto(`${BASE}/en/needs?country=${focal.country}&item=BIO-O2-CONCENTRATOR`);
  await page.getByLabel(`Select need ${needId}`, { exact: true }).check();
  await page.getByLabel(`Select need ${otherId}`, { exact: true }).check();
  await step(page, pass, 'needs-ticked', { axe });
  await page.getByRole('button', { name: 'Pledge against the ticked needs' }).click();
  check(await page.title() === 'Pledge against 2 needs – needsdb', `${pass}: the pledge form names both needs`);
  await page.getByLabel(`Quantity for Need ${needId}`, { exact: true }).fill('abc');
  await page.getByLabel(`Quantity for Need ${otherId}`, { exact: true }).fill('15');
  await page.getByRole('button', { name: 'Record the pledge' }).click();
  check((await page.title()).startsWith('Error:') && (await page.locator(`#quantity_${needId}-error`).count()) === 1,
    `${pass}: a bad quantity is named at its need`);
  await step(page, pass, 'pledge-several-error', { axe });
  await page.getByLabel(`Quantity for Need ${needId}`, { exact: true }).fill('10');
  await page.getByRole('button', { name: 'Record the pledge' }).click();
  const several = await page.content();
  check(/\/contributions\/\d+$/.test(page.url().split('?')[0]) && several.includes(`/en/needs/${needId}"`)
    && several.includes(`/en/needs/${otherId}"`) && several.includes('25 units'),
    `${pass}: one pledge of 25 is linked to both needs`);
  await step(page, pass, 'pledge-several', { axe });
  // The donor corrects it: 30, not 25, and why.
  await page.getByRole('link', { name: 'Correct this contribution' }).click();
  await step(page, pass, 'contribution-correct', { axe });
  await page.getByLabel('Quantity').fill('30');
  await page.getByLabel('Description').fill('Corrected after the packing list');
  await page.getByRole('button', { name: 'Save' }).click();
  const corrected = await page.content();
  check(corrected.includes('The contribution was corrected') && corrected.includes('30 units'),
    `${pass}: the partner corrected the contribution`);
  // Then what it is for: the split between the needs, and an earmark.
  await page.getByRole('link', { name: 'Correct this contribution' }).click();
  await page.getByLabel('Earmarks').fill('nam-members=lots');
  await page.getByRole('button', { name: 'Save' }).click();
  check((await page.title()).startsWith('Error:') && (await page.locator('#earmarks-error').count()) === 1,
    `${pass}: a bad earmark is named at its field`);
  await page.getByLabel('Needs it serves').fill(`${needId}=20\n${otherId}=10`);
  await page.getByLabel('Earmarks').fill('nam-members=100%');
  await page.getByRole('button', { name: 'Save' }).click();
  const relinked = await page.locator('.summary').innerText();
  check(relinked.includes('nam-members') && relinked.includes('100'), `${pass}: the partner earmarked the contribution for NAM members`);
  const relinkedJson = await page.request.get(`${BASE}/api/v1/contributions/${page.url().split('?')[0].split('/').pop()}`);
  const json = await relinkedJson.json();
  const split = Object.fromEntries(json.links.map((l) => [String(l.need), Number(l.quantity)]));
  check(split[needId] === 20 && split[otherId] === 10, `${pass}: the links were corrected to 20 and 10 (${JSON.stringify(split)})`);
  // An offer matched to the open needs, with a pledge form filled in.
  await page.goto(`${BASE}/en/offers`);
  await page.getByLabel('Item', { exact: true }).selectOption('BIO-O2-CONCENTRATOR');
  await page.getByLabel('Quantity').fill('40');
  await page.getByLabel('Country (ISO3 code)').fill(focal.country);
  await page.getByRole('button', { name: 'Find needs' }).click();
  check(page.url().includes('quantity=40') && await page.locator(`main table a[href="/en/needs/${needId}"]`).count() === 1,
    `${pass}: the offer matches the open need, in a shareable address`);
  await step(page, pass, 'offers', { axe });
  await downloads(page, pass, 'the offer match', [needId]);
  await page.getByRole('link', { name: `Pledge this to need ${needId}` }).click();
  const offered = await page.locator(`#quantity_${needId}`).inputValue();
  check(Number(offered) > 0 && Number(offered) <= 40, `${pass}: the pledge form holds the amount the match proposed (${offered})`);
  // Every contribution to the country, filtered and downloaded.
  const cid = contributionUrl.split('/').pop();
  await page.goto(`${BASE}/en/contributions?country=${focal.country}&stage=shipped`);
  check(await page.locator(`main table a[href="/en/contributions/${cid}"]`).count() === 1,
    `${pass}: the contributions list finds the shipment by country and stage`);
  await step(page, pass, 'contributions', { axe });
  await downloads(page, pass, 'the contributions list', [cid]);
  const hxlHref = await page.getByRole('link', { name: 'HXL CSV' }).getAttribute('href');
  const hxl = (await (await page.request.get(`${BASE}${hxlHref}`)).body()).toString('utf8');
  check(hxl.includes('#org') || hxl.includes('#meta'), `${pass}: the country's contributions export as HXL from the list`);
  await page.goto(`${BASE}/en/contributions?date_from=yesterday`);
  check((await page.title()).startsWith('Error:'), `${pass}: a date filter that is not a date is named, not a crash`);
  // The partner follows the search in a feed reader, then stops.
  await page.goto(`${BASE}/en/needs?country=${focal.country}&item=BIO-O2-CONCENTRATOR`);
  if (pass === 'js') await page.getByText('Follow this search in a feed reader').click();
  else await page.locator('details.follow').evaluate((d) => { d.open = true; }).catch(() => {});
  await page.getByLabel('Name of the search').fill(`oxygen ${pass}`);
  await page.getByRole('button', { name: 'Save and follow' }).click();
  const feedUrl = await page.locator('.notice code').innerText();
  const reader = await request.newContext();
  const feed = await reader.get(feedUrl);
  const feedBody = (await feed.body()).toString('utf8');
  await step(page, pass, 'search-followed', { axe });
  await page.getByRole('button', { name: `Stop following oxygen ${pass}` }).click();
  const gone = await reader.get(feedUrl);
  await reader.dispose();
  check(feed.status() === 200 && feedBody.includes('<feed') && feedBody.includes(`need:${needId}`) && gone.status() === 404,
    `${pass}: a saved search's feed lists the need, and stops when the search is dropped (${feed.status()}, ${gone.status()})`);
  await signOut(page);

  // The focal point confirms a short delivery: 60 of 100. The dashboard's
  // map, cluster bars and equity panel change for that state.
  await signIn(page, pass, focal, focal.newPassword);
  const before = await dashboardState(page, focal.country, 'BIO-O2-CONCENTRATOR');
  await page.goto(contributionUrl);
  await page.getByLabel('Quantity that arrived').fill('60');
  await page.getByRole('button', { name: 'Confirm delivery' }).click();
  const after = await page.content();
  const changed = await dashboardState(page, focal.country, 'BIO-O2-CONCENTRATOR');
  check(before.fill !== changed.fill, `${pass}: the delivery changes ${focal.country}'s colour on the map (${before.fill} → ${changed.fill})`);
  check(before.bars !== changed.bars, `${pass}: the delivery changes the cluster bars`);
  check(changed.equity !== '' && before.equity !== changed.equity, `${pass}: the delivery changes the equity panel`);
  await step(page, pass, 'dashboard-after-delivery', { axe });
  await downloads(page, pass, 'the dashboard', [focal.country === 'KEN' ? 'KEN' : 'UGA']);
  await page.goto(contributionUrl);
  check(after.includes('The delivery was confirmed'), `${pass}: the focal point confirmed a delivery`);
  check(after.includes('Not yet delivered: 40'), `${pass}: 40 are still to arrive`);
  await downloads(page, pass, 'the contribution page', ['60']);
  await step(page, pass, 'short-delivery', { axe });
  // The signed delivery note, as a file.
  await page.locator('#file').setInputFiles({ name: 'delivery-note-0417.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n') });
  await page.locator('#file-title').fill('Signed delivery note 0417');
  await page.getByRole('button', { name: 'Add the file' }).click();
  const withFile = await page.content();
  check(withFile.includes('Signed delivery note 0417') && withFile.includes('delivery-note-0417.pdf'),
    `${pass}: the focal point added the delivery note as a file`);
  const href = await page.locator('a', { hasText: 'Signed delivery note 0417' }).getAttribute('href');
  const download = await page.request.get(`${BASE}${href}`);
  check(download.status() === 200 && (await download.body()).subarray(0, 5).toString() === '%PDF-',
    `${pass}: the file comes back as it was sent`);

  // A need returned by the secretariat shows its reason to the focal point.
  if (pass === 'js') {
    await page.goto(`${BASE}/en/needs/new`);
    await page.getByLabel('Item').selectOption('FOOD-RICE');
    await page.getByLabel('Quantity').fill('900');
    await page.getByLabel('Needed by').fill('2027-08-31');
    await page.getByRole('button', { name: 'Save and submit for validation' }).click();
    const second = page.url().split('?')[0];
    await signOut(page);
    await signIn(page, pass, secretariat, secretariat.newPassword);
    await page.goto(second);
    await page.getByLabel('Note').fill('900 tonnes is more than the district can store; please split it');
    await page.getByRole('button', { name: 'Return to the focal point' }).click();
    await signOut(page);
    await signIn(page, pass, focal, focal.newPassword);
    await page.goto(second);
    check((await page.content()).includes('Returned by the secretariat: 900 tonnes is more than the district can store'),
      'js: the focal point sees why the need was returned');
    await step(page, pass, 'need-returned', { axe });
  }

  // The focal point downloads the template from the upload page and fills
  // it in (one bad row, and a country name close to a known one); the
  // report names the row and column; the fixed file, with the suggestion
  // confirmed, is imported. Then the uploads list keeps both reports.
  {
    const close = focal.country === 'KEN' ? 'Republic of Keny' : 'Republic of Ugand';
    await page.goto(`${BASE}/en/imports/new`);
    await step(page, pass, 'upload', { axe });
    const templateHref = await page.getByRole('link', { name: 'Download the Excel template' }).getAttribute('href');
    const template = await page.request.get(`${BASE}${templateHref}`);
    const templateBody = await template.body();
    check(template.status() === 200 && templateBody.subarray(0, 2).toString() === 'PK',
      `${pass}: the focal point downloads the Excel template (${templateHref})`);
    const dir = process.env.UPLOAD_DIR;
    const templateFile = path.join(dir, `template-${pass}.xlsx`);
    fs.writeFileSync(templateFile, templateBody);
    const fill = (name, quantity) => {
      const out = path.join(dir, `${name}-${pass}.xlsx`);
      const rows = [
        { '#item+code': 'FOOD-RICE', '#need+num': quantity, '#severity': 'high', '#date+needed': '2027-05-01', '#meta+id': `upload-1-${pass}` },
        { '#country+code': '', '#country+name': close, '#item+code': 'WASH-SOAP', '#need+num': 5000, '#severity': 'medium', '#date+needed': '2027-05-01', '#meta+id': `upload-2-${pass}` },
      ];
      execFileSync(process.env.PYTHON, [path.join(process.cwd(), 'fill_template.py'), templateFile, out, JSON.stringify(rows)]);
      return out;
    };
    await page.getByLabel('File', { exact: true }).setInputFiles(fill('bad', 'lots'));
    await page.getByRole('button', { name: 'Check the file' }).click();
    const report = await page.content();
    check((await page.title()).startsWith('Error:'), `${pass}: a file with problems is reported as an error`);
    check(/<td>3<\/td><td>J \(/.test(report), `${pass}: the bad quantity is named by row 3 and column J`);
    check(report.includes('Write the quantity as a number above zero'),
      `${pass}: the problem says how to fix it in words of the pages, not command-line flags`);
    check(!report.includes('--decimal') && !report.includes('--accept'), `${pass}: the report mentions no command-line flag`);
    check(report.includes('Nothing was written'), `${pass}: nothing was written from the bad file`);
    await step(page, pass, 'upload-report', { axe });
    await downloads(page, pass, 'the upload report', ['J (#need+num']);
    await page.goto(`${BASE}/en/imports/new`);
    await page.getByLabel('File', { exact: true }).setInputFiles(fill('fixed', 12));
    await page.getByRole('button', { name: 'Check the file' }).click();
    const suggestion = page.getByLabel(new RegExp(close));
    check(await suggestion.count() === 1, `${pass}: the suggested name is offered for confirmation`);
    await step(page, pass, 'upload-suggestion', { axe });
    await suggestion.check();
    await page.getByRole('button', { name: 'Import the file' }).click();
    const done = await page.content();
    check(done.includes('Every row was written'), `${pass}: the fixed file was imported with the name confirmed`);
    await step(page, pass, 'upload-done', { axe });
    await page.goto(`${BASE}/en/needs?country=${focal.country}&item=WASH-SOAP`);
    check((await page.locator('main tbody tr').count()) >= 1, `${pass}: the imported need is listed`);
    await page.goto(`${BASE}/en/imports`);
    const list = await page.locator('main table').innerText();
    check(list.includes('bad-' + pass) && list.includes('not written: the file has problems') && list.includes('written'),
      `${pass}: the uploads list keeps the refused file and the written one`);
    await step(page, pass, 'uploads', { axe });
    await page.getByRole('link', { name: /^\d+$/ }).last().click();
    check((await page.content()).includes('J (#need+num'), `${pass}: an earlier upload's page keeps its problems by row and column`);
    await step(page, pass, 'upload-earlier', { axe });
  }

  // An API token for the ministry's own system: shown once, works, then revoked.
  await page.goto(`${BASE}/en/tokens`);
  await page.getByLabel('Name').fill(`stock system ${pass}`);
  await page.getByLabel('Days it lasts').fill('30');
  await page.getByRole('button', { name: 'Create the token' }).click();
  const token = await page.locator('.notice code').innerText();
  // A client of its own, without the browser's session cookie.
  const api = await request.newContext();
  const bearer = { headers: { Authorization: `Bearer ${token}` } };
  const withToken = await api.get(`${BASE}/api/v1/needs?limit=1`, bearer);
  await step(page, pass, 'token-created', { axe });
  await page.getByRole('button', { name: `Revoke stock system ${pass}` }).click();
  const afterRevoke = await api.get(`${BASE}/api/v1/needs?limit=1`, bearer);
  await api.dispose();
  check(token.startsWith('ndb_') && withToken.status() === 200 && afterRevoke.status() === 401,
    `${pass}: a token made in the pages works, and stops when revoked (${withToken.status()}, ${afterRevoke.status()})`);

  // The focal point's notifications name the pledge; a partner's list has its own.
  await page.goto(`${BASE}/en/inbox`);
  const inbox = await page.content();
  check(inbox.includes('A pledge against your need') || inbox.includes('A shipment awaits your confirmation'),
    `${pass}: the focal point's notifications name the pledge or the shipment`);
  await step(page, pass, 'inbox', { axe });
  await downloads(page, pass, 'the inbox');
  await page.getByRole('button', { name: 'Follow my notifications in a feed reader' }).click();
  const noticeFeed = await page.locator('.notice code').innerText();
  const feedReader = await request.newContext();
  const noticeAtom = await feedReader.get(noticeFeed);
  const noticeBody = (await noticeAtom.body()).toString('utf8');
  await feedReader.dispose();
  check(noticeAtom.status() === 200 && noticeBody.includes('<feed') && noticeBody.includes('<entry'),
    `${pass}: the focal point follows the notifications in a feed reader (${noticeAtom.status()})`);
  check((await page.locator('main table').innerText()).includes('my notifications'), `${pass}: the feed is listed with the saved searches`);

  // The country page and the public view show the new coverage.
  await page.goto(`${BASE}/en/countries/${focal.country}`);
  const countryPage = await page.content();
  check(countryPage.includes(`/en/needs/${needId}`), `${pass}: the country page lists the need`);
  await downloads(page, pass, 'the country page', [needId]);
  const iatiHref = await page.getByRole('link', { name: 'IATI 2.03 XML' }).getAttribute('href');
  const iati = (await (await page.request.get(`${BASE}${iatiHref}`)).body()).toString('utf8');
  check(iati.includes('<iati-activities') && iati.includes('<iati-activity'), `${pass}: the country's contributions export as IATI XML`);
  if (pass === 'js') {
    // On A4: no menus or buttons, every table inside the printed width,
    // and a PDF Chromium can make of it.
    await page.setViewportSize({ width: 680, height: 960 });
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ({
      header: getComputedStyle(document.querySelector('header.site')).display,
      wide: [...document.querySelectorAll('main table')].filter((t) => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
      tables: document.querySelectorAll('main table').length,
      charts: [...document.querySelectorAll('main svg.chart')].filter((c) => getComputedStyle(c).display !== 'none').length,
      // A4 less the margins is about 1000 CSS pixels high: a figure taller would be split.
      tallest: Math.max(0, ...[...document.querySelectorAll('main figure')].map((f) => f.getBoundingClientRect().height)),
    }));
    const pdf = await page.pdf({ format: 'A4' });
    fs.writeFileSync(path.join(SHOTS, `country-${focal.country}.pdf`), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    check(printed.header === 'none' && printed.tables >= 1 && printed.charts >= 1 && printed.tallest < 1000 && printed.wide === 0
      && pdf.subarray(0, 5).toString() === '%PDF-' && pages >= 1,
      `js: the country page prints on A4 with its chart and tables, without menus, no figure taller than a page and no table cut off (${printed.charts} charts, tallest ${Math.round(printed.tallest)} px, ${printed.tables} tables, ${printed.wide} too wide, ${pages} pages)`);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  await page.goto(needUrl);
  await downloads(page, pass, 'the need page', ['India']);
  await step(page, pass, 'country', { axe });
  await signOut(page);
  await page.goto(`${BASE}/en/`);
  const row = page.locator(`table >> nth=0 >> tr:has(a[href="/en/countries/${focal.country}"])`);
  check(await row.count() === 1, `${pass}: the public view has a row for ${focal.country}`);
  await downloads(page, pass, 'the overview', [focal.country === 'KEN' ? 'Kenya' : 'Uganda']);
  // Coverage grouped as the API groups it: by income group, then by WHO region.
  await page.getByLabel('Group the last table by').selectOption('who_region');
  await page.locator('form.filters button').last().click();
  const grouped = await page.locator('main table').last().innerText();
  check(page.url().includes('by=who_region') && grouped.includes('AFR'), `${pass}: the overview groups coverage by WHO region`);
  // Every member state with a need has its shape or circle on the map, coloured.
  await page.goto(`${BASE}/en/dashboard`);
  const withNeed = (await (await page.request.get(`${BASE}/api/v1/coverage?by=country&measure=usd`)).json())
    .filter((r) => r.needs > 0).map((r) => r.group).sort();
  const drawn = await page.locator('svg.map a[data-iso3]').evaluateAll((as) => as
    .filter((a) => a.firstElementChild.getAttribute('fill') !== '#e4e4e4').map((a) => a.dataset.iso3));
  const shapes = await page.locator('svg.map a[data-iso3]').evaluateAll((as) => as.map((a) => a.dataset.iso3));
  check(withNeed.length > 0 && withNeed.every((c) => shapes.includes(c)) && JSON.stringify([...new Set(drawn)].sort()) === JSON.stringify(withNeed),
    `${pass}: the map draws and colours one shape or circle for each state with a need (${withNeed.join(' ')}; coloured: ${[...new Set(drawn)].sort().join(' ')})`);
  const members = await page.locator('svg.map a[data-iso3]').count();
  check(members >= 121, `${pass}: the map links every member state, small islands included (${members} links)`);
  await step(page, pass, 'dashboard', { axe });
  await page.getByRole('link', { name: 'Countries', exact: true }).click();
  await page.getByLabel('UN region').selectOption('002');
  await page.getByLabel('NAM status').selectOption('member');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const countries = await page.locator('main table').innerText();
  check(page.url().includes('region=002') && countries.includes('Kenya') && countries.includes('Uganda') && !countries.includes('France'),
    `${pass}: the countries list filters by UN region and NAM status, without signing in`);
  await step(page, pass, 'countries', { axe });
  await downloads(page, pass, 'the countries list', ['KEN']);
  await step(page, pass, 'overview-after', { axe });
  await context.close();
  return { needUrl, needId };
}

const first = await journey('js', ACCOUNTS.js);
await journey('nojs', ACCOUNTS.nojs);

// An administrator adds an account, sees its one-time password once, and disables it.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  const admin = { ...ACCOUNTS.admin, role: 'admin', newPassword: 'the administrator keeps the keys' };
  await signIn(page, 'admin', admin, admin.password, { first: true });
  await page.goto(`${BASE}/en/accounts`);
  await step(page, 'admin', 'accounts');
  await downloads(page, 'admin', 'the accounts', ['admin@nam.test']);
  await page.getByRole('link', { name: 'Check the audit log' }).click();
  check((await page.content()).includes('The audit log is intact, and every record matches it'),
    'admin: the audit check finds the log intact after the whole journey');
  await step(page, 'admin', 'audit');
  await page.goto(`${BASE}/en/accounts`);
  await page.getByLabel('Email address').fill('new.focal@ministry.test');
  await page.getByLabel('Role').selectOption('focal_point');
  await page.getByLabel('Country').fill('KEN');
  await page.getByRole('button', { name: 'Add the account' }).click();
  const secret = await page.locator('.notice code').innerText();
  check(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/.test(secret), 'admin: the new account\'s one-time password is shown once');
  check(!page.url().includes(secret), 'admin: the password is not in the address');
  await page.getByRole('link', { name: 'new.focal@ministry.test' }).click();
  await page.getByRole('button', { name: 'Disable the account' }).click();
  check((await page.content()).includes('The account was changed'), 'admin: the account was disabled');
  await step(page, 'admin', 'account-disabled');
  await signOut(page);
  await page.goto(`${BASE}/en/sign-in`);
  await page.getByLabel('Email address').fill('new.focal@ministry.test');
  await page.getByLabel('Password', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  check((await page.content()).includes('The email address or the password is wrong'), 'a disabled account cannot sign in');
  await context.close();
}

// Arabic: right to left, Arabic names, a form error in Arabic.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/ar/`);
  check(await page.locator('html').getAttribute('dir') === 'rtl', 'ar: the page is right to left');
  check((await page.content()).includes('كينيا'), 'ar: Kenya has its Arabic name');
  await step(page, 'ar', 'overview');
  const fp = ACCOUNTS.js.focal;
  await page.goto(`${BASE}/ar/sign-in`);
  await page.locator('#email').fill(fp.email);
  await page.locator('#password').fill(fp.newPassword);
  await page.locator('form button[type=submit]').click();
  await page.goto(`${BASE}/ar${new URL(first.needUrl).pathname.slice(3)}`);
  check((await page.content()).includes('مكثف الأكسجين'), 'ar: the item has its Arabic name');
  await step(page, 'ar', 'need');
  await page.goto(`${BASE}/ar/needs/new`);
  await page.locator('form button[value=submit]').click();
  const text = await page.content();
  check(text.includes('توجد مشكلة') && (await page.title()).startsWith('خطأ:'), 'ar: the form error is in Arabic');
  await step(page, 'ar', 'form-error');
  await context.close();
}

// The dashboard without JavaScript is the same page; in Arabic it reads
// right to left, with Arabic names and labels.
{
  const withJs = await browser.newContext();
  const withoutJs = await browser.newContext({ javaScriptEnabled: false });
  const a = await withJs.newPage();
  const b = await withoutJs.newPage();
  await a.goto(`${BASE}/ar/dashboard?item=BIO-O2-CONCENTRATOR`);
  await b.goto(`${BASE}/ar/dashboard?item=BIO-O2-CONCENTRATOR`);
  const main = async (p) => p.locator('main').innerHTML();
  const same = (await main(a)) === (await main(b));
  check(same && (await b.locator('svg.map path').count()) > 100 && (await b.locator('svg.chart').count()) >= 2 && (await b.locator('main table').count()) >= 3,
    'ar: with JavaScript disabled the map, charts and tables are all there and identical');
  check(await a.locator('html').getAttribute('dir') === 'rtl' && (await a.locator('svg.map title').first().textContent()).includes('تغطية')
    && (await a.locator('main').textContent()).includes('كينيا'), 'ar: the dashboard is right to left, with Arabic names and labels');
  await step(a, 'ar', 'dashboard');
  const pdf = await a.pdf({ format: 'A4' });
  check(pdf.subarray(0, 5).toString() === '%PDF-', 'ar: the dashboard prints');
  await withJs.close();
  await withoutJs.close();
}

// Authorization: crafted posts and a viewer.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  const fp = ACCOUNTS.js.focal;
  await page.goto(`${BASE}/en/sign-in`);
  await page.getByLabel('Email address').fill(fp.email);
  await page.getByLabel('Password', { exact: true }).fill(fp.newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(first.needUrl);
  const csrf = await page.locator('input[name=csrf]').first().inputValue();
  const other = ACCOUNTS.other_need;
  const form = { csrf, version: '1', country: ACCOUNTS.other_country, item: 'FOOD-RICE', quantity: '1', priority: 'low', needed_by: '2027-01-01' };
  const edit = await page.request.post(`${BASE}/en/needs/${other}/edit`, { form, maxRedirects: 0 });
  check(edit.status() === 403 || edit.status() === 404, `a focal point cannot edit another country's need by a crafted form (${edit.status()})`);
  const noCsrf = await page.request.post(`${BASE}/en/needs/${first.needId}/status`, { form: { to: 'withdrawn', version: '1' }, maxRedirects: 0 });
  check(noCsrf.status() === 403, `a form without the CSRF token is refused (${noCsrf.status()})`);
  await page.goto(first.needUrl);
  check((await page.locator('.summary .tag').innerText()) !== 'withdrawn', 'nothing was withdrawn');
  const odd = await page.request.get(`${BASE}/fr/needs/abc`);
  check(odd.status() === 404 && odd.headers()['content-type'].startsWith('text/html')
    && (await odd.text()).includes('Page introuvable'), 'an address a page cannot read is a 404 page in its language');
  await context.close();

  const viewerContext = await browser.newContext();
  const v = await viewerContext.newPage();
  await v.goto(`${BASE}/en/sign-in`);
  await v.getByLabel('Email address').fill(ACCOUNTS.viewer.email);
  await v.getByLabel('Password', { exact: true }).fill(ACCOUNTS.viewer.password);
  await v.getByRole('button', { name: 'Sign in' }).click();
  await v.getByLabel('Current password').fill(ACCOUNTS.viewer.password);
  await v.getByLabel('New password').fill('a viewer reads the tables');
  await v.getByRole('button', { name: 'Change password' }).click();
  await v.goto(first.needUrl);
  const forms = await v.locator('main form').count();
  const editLinks = await v.locator('main a[href$="/edit"], main a[href$="/pledge"]').count();
  check(forms === 0 && editLinks === 0, `a viewer sees no edit controls (${forms} forms, ${editLinks} links)`);
  await step(v, 'viewer', 'need');
  await viewerContext.close();
}

await browser.close();
console.log(failures === 0 ? 'ALL PASSED' : `${failures} FAILED`);
process.exit(failures === 0 ? 0 : 1);
