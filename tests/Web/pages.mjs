// Opens Orlog's pages and the Orleans dashboard in Debian's chromium (headless, driven by playwright-core; no
// browser download) on a running silo, and checks them: every figure shown matches the JSON API, the charts are
// drawn, no console error is logged. Saves a screenshot of each page. Run by tests/EndToEnd.Tests/Web/WebTests.cs:
//   node pages.mjs BASE-URL SCREENSHOT-DIR TOPIC GROUP
// Exits 0 when every check passes; otherwise prints what failed and exits 1.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [base, outDir, topicName, groupId] = process.argv.slice(2);
if (!groupId) {
  console.error('usage: node pages.mjs BASE-URL SCREENSHOT-DIR TOPIC GROUP');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const failures = [];
const check = (ok, message) => { if (!ok) failures.push(message); };

async function api(p) {
  const response = await fetch(base + '/api' + p);
  if (!response.ok) throw new Error(`${p}: ${response.status}`);
  return response.json();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // As root chromium needs --no-sandbox; no background traffic to Google's services.
  args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });

// Opens a page, waits for its first data, checks its console, runs the checks, saves a screenshot.
async function visit(name, url, checks, ready = (page) => page.waitForSelector('body[data-loaded="true"]', { timeout: 30000 })) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(base + url, { waitUntil: 'load' });
    await ready(page);
    await checks(page);
    await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
  } catch (error) {
    failures.push(`${name}: ${error.message}`);
    await page.screenshot({ path: path.join(outDir, `${name}-failed.png`), fullPage: true }).catch(() => {});
  }
  check(errors.length === 0, `${name}: console errors: ${errors.join(' | ')}`);
  await page.close();
}

const figure = (page, name) => page.getAttribute(`[data-figure="${name}"]`, 'data-value');
const cell = (page, tableName, key, col) => page.getAttribute(`[data-table="${tableName}"] tr[data-key="${key}"] td[data-col="${col}"]`, 'data-value');
const text = (value) => (value === null || value === undefined ? '' : String(value));
const same = (shown, expected, what) => check(text(shown) === text(expected), `${what}: the page shows ${shown}, the API says ${expected}`);

// A chart is drawn: uPlot's canvas is there, has a size, and has pixels painted on it.
async function chartDrawn(page, name) {
  const canvas = `[data-chart="${name}"] canvas`;
  await page.waitForSelector(canvas, { timeout: 15000 });
  const painted = await page.$eval(canvas, (c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) count++;
    return { width: c.width, height: c.height, count };
  });
  check(painted.width > 0 && painted.height > 0 && painted.count > 1000, `chart ${name}: not drawn (${JSON.stringify(painted)})`);
  // The series are drawn, not only the axes: uPlot lists a value for each series in its legend.
  const series = await page.$$eval(`[data-chart="${name}"] .u-legend .u-series`, (rows) => rows.length);
  check(series >= 2, `chart ${name}: ${series} legend rows`);
}

await visit('overview', '/', async (page) => {
  const data = await api('/overview');
  for (const name of ['clusterId', 'topics', 'partitions', 'brokersAlive', 'underReplicated', 'offline']) {
    same(await figure(page, name), data[name], `overview ${name}`);
  }
  check(data.throughput.length >= 2, `overview: ${data.throughput.length} throughput points`);
  await chartDrawn(page, 'throughput');
});

await visit('brokers', '/brokers', async (page) => {
  for (const broker of await api('/brokers')) {
    for (const col of ['status', 'leaders', 'replicas', 'bytesOnDisk']) {
      same(await cell(page, 'brokers', broker.id, col), broker[col], `broker ${broker.id} ${col}`);
    }
  }
});

await visit('topics', '/topics', async (page) => {
  const topics = await api('/topics');
  check(topics.some((t) => t.name === topicName), `topics: ${topicName} missing`);
  for (const topic of topics) {
    for (const col of ['partitions', 'replicationFactor', 'underReplicated', 'records']) {
      same(await cell(page, 'topics', topic.name, col), topic[col], `topic ${topic.name} ${col}`);
    }
  }
  await page.click(`[data-table="topics"] tr[data-key="${topicName}"] a`);
  await page.waitForURL(`**/topics/${topicName}`);
});

await visit('topic', `/topics/${encodeURIComponent(topicName)}`, async (page) => {
  const topic = await api(`/topics/${encodeURIComponent(topicName)}`);
  same(await figure(page, 'partitions'), topic.partitions.length, 'topic partitions');
  for (const p of topic.partitions) {
    for (const col of ['leader', 'replicas', 'isr', 'logStartOffset', 'logEndOffset', 'highWatermark', 'sizeBytes']) {
      same(await cell(page, 'partitions', p.partition, col), Array.isArray(p[col]) ? p[col].join(',') : p[col], `${topicName}-${p.partition} ${col}`);
    }
  }
  for (const [name, value] of Object.entries(topic.configs)) {
    same(await page.textContent(`[data-config="${name}"]`), value, `config ${name}`);
  }
});

await visit('groups', '/groups', async (page) => {
  const groups = await api('/groups');
  const group = groups.find((g) => g.groupId === groupId);
  check(group !== undefined, `groups: ${groupId} missing`);
  for (const col of ['state', 'type', 'members', 'lag']) {
    same(await cell(page, 'groups', groupId, col), group?.[col], `group ${groupId} ${col}`);
  }
});

await visit('group', `/groups/${encodeURIComponent(groupId)}`, async (page) => {
  const group = await api(`/groups/${encodeURIComponent(groupId)}`);
  same(await figure(page, 'state'), group.state, 'group state');
  same(await figure(page, 'members'), group.members.length, 'group members');
  same(await figure(page, 'lag'), group.lag, 'group lag');
  check(group.lag > 0, `group ${groupId}: no lag (${group.lag})`);
  for (const member of group.members) {
    same(await cell(page, 'members', member.memberId, 'assignment'), member.assignment.map((p) => `${p.topic}-${p.partition}`).join(','), `member ${member.memberId} assignment`);
  }
  for (const p of group.partitions) {
    const key = `${p.topicPartition.topic}-${p.topicPartition.partition}`;
    for (const col of ['currentOffset', 'logEndOffset', 'lag']) {
      same(await cell(page, 'offsets', key, col), p[col], `group partition ${key} ${col}`);
    }
  }
  check(group.lagHistory.length >= 2, `group: ${group.lagHistory.length} lag points`);
  await chartDrawn(page, 'lag');
});

// The Orleans dashboard: its page loads and shows this silo.
await visit('dashboard', '/dashboard/', async (page) => {
  await page.waitForFunction(() => document.body.innerText.includes('Silos'), null, { timeout: 30000 });
}, (page) => page.waitForLoadState('networkidle', { timeout: 30000 }));

await browser.close();
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(JSON.stringify({ pages: 7, screenshots: outDir }));
