// Orlog's pages: one script for every page, chosen by the path. Each page reads its figures from the JSON API
// (/api/..., docs/web.md) every few seconds and redraws them; charts are uPlot's (vendor/, MIT licence).
(() => {
  'use strict';

  const refreshMs = 2000;
  const main = document.getElementById('page');
  const status = document.getElementById('status');
  const charts = new Map();

  const pages = [
    { pattern: /^\/$/, nav: 'overview', title: () => 'Overview', load: () => api('/overview'), render: overview },
    { pattern: /^\/brokers$/, nav: 'brokers', title: () => 'Brokers', load: () => api('/brokers'), render: brokers },
    { pattern: /^\/topics$/, nav: 'topics', title: () => 'Topics', load: () => api('/topics'), render: topics },
    { pattern: /^\/topics\/([^/]+)$/, nav: 'topics', title: (name) => `Topic ${name}`, load: (name) => api(`/topics/${encodeURIComponent(name)}`), render: topic },
    { pattern: /^\/groups$/, nav: 'groups', title: () => 'Consumer groups', load: () => api('/groups'), render: groups },
    { pattern: /^\/groups\/([^/]+)$/, nav: 'groups', title: (id) => `Consumer group ${id}`, load: (id) => api(`/groups/${encodeURIComponent(id)}`), render: group },
  ];

  // ------------------------------------------------------------------------------------------------ helpers

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function api(path) {
    const response = await fetch('/api' + path, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      throw new Error(body?.message ?? `${response.status} ${response.statusText}`);
    }
    return response.json();
  }

  const integer = (n) => (n === null || n === undefined ? '-' : String(n));
  const rate = (n) => (n === null || n === undefined ? '-' : n.toFixed(1));
  const ids = (list) => (list && list.length ? list.join(',') : '-');

  function bytes(n) {
    if (n === null || n === undefined) return '-';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
  }

  // A figure card; data-figure names it and data-value holds the raw number the text shows.
  function card(name, label, value, text, bad) {
    return el('div', { class: bad ? 'card bad' : 'card' },
      el('div', { class: 'label' }, label),
      el('div', { class: 'value', 'data-figure': name, 'data-value': value }, text ?? integer(value)));
  }

  // A table: columns [{key, label, num, text(row), value(row), href(row)}]; each cell has data-col and data-value.
  function table(name, columns, rows, keyOf, badRow) {
    const head = el('tr', null, columns.map((c) => el('th', { class: c.num ? 'num' : null }, c.label)));
    const body = rows.map((row) => el('tr', { 'data-key': keyOf(row), class: badRow && badRow(row) ? 'bad' : null },
      columns.map((c) => {
        const raw = c.value ? c.value(row) : row[c.key];
        const text = c.text ? c.text(row) : integer(raw);
        const content = c.href ? el('a', { href: c.href(row) }, text) : text;
        return el('td', { class: c.num ? 'num' : null, 'data-col': c.key, 'data-value': Array.isArray(raw) ? raw.join(',') : raw }, content);
      })));
    if (rows.length === 0) {
      body.push(el('tr', null, el('td', { colspan: columns.length, class: 'empty' }, 'None.')));
    }
    return el('table', { 'data-table': name }, el('thead', null, head), el('tbody', null, body));
  }

  // A time chart (uPlot), made once and given new data on each refresh. points: [{time (ms), ...}].
  function chart(container, name, series, points) {
    const data = [points.map((p) => p.time / 1000), ...series.map((s) => points.map((p) => p[s.key]))];
    let plot = charts.get(name);
    if (!plot) {
      const width = Math.max(300, container.clientWidth - 16);
      plot = new uPlot({
        width,
        height: 240,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false }, value: (u, v) => (v === null || v === undefined ? '-' : v.toFixed(1)) }))],
        axes: [{}, { size: 70 }],
        scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      }, data, container);
      container.setAttribute('data-chart', name);
      charts.set(name, plot);
    } else {
      plot.setData(data);
    }
  }

  function section(title, ...children) {
    return [el('h2', null, title), ...children];
  }

  // ------------------------------------------------------------------------------------------------ pages

  function overview(data, view) {
    document.title = `Orlog · ${data.clusterId}`;
    view.content.replaceChildren(
      el('div', { class: 'cards' },
        card('clusterId', 'Cluster', data.clusterId, data.clusterId),
        card('brokersAlive', 'Brokers up', data.brokersAlive, `${data.brokersAlive} of ${data.brokers}`, data.brokersAlive < data.brokers),
        card('topics', 'Topics', data.topics),
        card('partitions', 'Partitions', data.partitions),
        card('underReplicated', 'Under-replicated', data.underReplicated, null, data.underReplicated > 0),
        card('offline', 'Offline', data.offline, null, data.offline > 0),
        card('recordsInPerSec', 'Records/s in', data.recordsInPerSec, rate(data.recordsInPerSec)),
        card('recordsOutPerSec', 'Records/s out', data.recordsOutPerSec, rate(data.recordsOutPerSec))));
    view.charts(() => chart(view.chart('throughput', 'Throughput, last 15 minutes (records/s)'), 'throughput',
      [{ key: 'recordsInPerSec', label: 'in', color: '#2f6fde' }, { key: 'recordsOutPerSec', label: 'out', color: '#27ae60' }], data.throughput));
  }

  function brokers(data, view) {
    view.content.replaceChildren(table('brokers', [
      { key: 'id', label: 'ID', num: true },
      { key: 'address', label: 'Address', text: (b) => b.address ?? '-' },
      { key: 'rack', label: 'Rack', text: (b) => b.rack ?? '-' },
      { key: 'status', label: 'Status', text: (b) => b.status },
      { key: 'leaders', label: 'Partitions led', num: true },
      { key: 'replicas', label: 'Replicas', num: true },
      { key: 'bytesOnDisk', label: 'On disk', num: true, text: (b) => bytes(b.bytesOnDisk) },
      { key: 'controller', label: 'Controller', text: (b) => (b.controller ? 'yes' : '') },
    ], data, (b) => b.id, (b) => b.status !== 'alive'));
  }

  function topics(data, view) {
    view.content.replaceChildren(table('topics', [
      { key: 'name', label: 'Topic', text: (t) => t.name, href: (t) => `/topics/${encodeURIComponent(t.name)}` },
      { key: 'partitions', label: 'Partitions', num: true },
      { key: 'replicationFactor', label: 'Replication', num: true },
      { key: 'underReplicated', label: 'Under-replicated', num: true },
      { key: 'records', label: 'Records', num: true },
      { key: 'recordsInPerSec', label: 'Records/s in', num: true, text: (t) => rate(t.recordsInPerSec) },
      { key: 'recordsOutPerSec', label: 'Records/s out', num: true, text: (t) => rate(t.recordsOutPerSec) },
    ], data, (t) => t.name, (t) => t.underReplicated > 0));
  }

  function topic(data, view) {
    const configs = Object.entries(data.configs).sort(([a], [b]) => a.localeCompare(b));
    view.content.replaceChildren(
      el('div', { class: 'cards' },
        card('partitions', 'Partitions', data.partitions.length),
        card('recordsInPerSec', 'Records/s in', data.recordsInPerSec, rate(data.recordsInPerSec)),
        card('recordsOutPerSec', 'Records/s out', data.recordsOutPerSec, rate(data.recordsOutPerSec))),
      ...section('Partitions', table('partitions', [
        { key: 'partition', label: 'Partition', num: true },
        { key: 'leader', label: 'Leader', num: true, text: (p) => (p.leader < 0 ? 'none' : p.leader) },
        { key: 'replicas', label: 'Replicas', text: (p) => ids(p.replicas) },
        { key: 'isr', label: 'ISR', text: (p) => ids(p.isr) },
        { key: 'logStartOffset', label: 'Log start', num: true },
        { key: 'logEndOffset', label: 'Log end', num: true },
        { key: 'highWatermark', label: 'High watermark', num: true },
        { key: 'sizeBytes', label: 'Size', num: true, text: (p) => bytes(p.sizeBytes) },
        { key: 'recordsInPerSec', label: 'Records/s in', num: true, text: (p) => rate(p.recordsInPerSec) },
      ], data.partitions, (p) => p.partition, (p) => p.leader < 0 || p.isr.length < p.replicas.length)),
      ...section('Configs', configs.length === 0
        ? el('p', { class: 'empty' }, 'The broker defaults apply.')
        : el('dl', { class: 'configs', 'data-table': 'configs' }, configs.map(([name, value]) => [el('dt', null, name), el('dd', { 'data-config': name }, value)]))));
  }

  function groups(data, view) {
    view.content.replaceChildren(table('groups', [
      { key: 'groupId', label: 'Group', text: (g) => g.groupId, href: (g) => `/groups/${encodeURIComponent(g.groupId)}` },
      { key: 'state', label: 'State', text: (g) => g.state },
      { key: 'type', label: 'Protocol', text: (g) => g.type },
      { key: 'members', label: 'Members', num: true },
      { key: 'lag', label: 'Lag', num: true },
    ], data, (g) => g.groupId));
  }

  function group(data, view) {
    const owners = new Map();
    for (const member of data.members) {
      for (const p of member.assignment) owners.set(`${p.topic}-${p.partition}`, member.memberId);
    }
    view.content.replaceChildren(
      el('div', { class: 'cards' },
        card('state', 'State', data.state, data.state),
        card('type', 'Protocol', data.type, data.type),
        card('members', 'Members', data.members.length),
        card('lag', 'Lag', data.lag),
        card('coordinator', 'Coordinator', data.coordinator)),
      ...section('Members', table('members', [
        { key: 'memberId', label: 'Member', text: (m) => m.memberId },
        { key: 'groupInstanceId', label: 'Instance', text: (m) => m.groupInstanceId ?? '-' },
        { key: 'clientId', label: 'Client', text: (m) => m.clientId },
        { key: 'host', label: 'Host', text: (m) => m.host },
        { key: 'assignment', label: 'Assignment', value: (m) => m.assignment.map((p) => `${p.topic}-${p.partition}`), text: (m) => m.assignment.map((p) => `${p.topic}-${p.partition}`).join(', ') || '-' },
      ], data.members, (m) => m.memberId)),
      ...section('Partitions', table('offsets', [
        { key: 'topic', label: 'Topic', value: (p) => p.topicPartition.topic, text: (p) => p.topicPartition.topic, href: (p) => `/topics/${encodeURIComponent(p.topicPartition.topic)}` },
        { key: 'partition', label: 'Partition', num: true, value: (p) => p.topicPartition.partition },
        { key: 'currentOffset', label: 'Committed', num: true, text: (p) => (p.currentOffset < 0 ? '-' : p.currentOffset) },
        { key: 'logEndOffset', label: 'Log end', num: true },
        { key: 'lag', label: 'Lag', num: true },
        { key: 'owner', label: 'Member', value: (p) => p.consumerId, text: (p) => p.consumerId ?? owners.get(`${p.topicPartition.topic}-${p.topicPartition.partition}`) ?? '-' },
      ], data.partitions, (p) => `${p.topicPartition.topic}-${p.topicPartition.partition}`)));
    view.charts(() => chart(view.chart('lag', 'Lag, last 15 minutes (records)'), 'lag', [{ key: 'lag', label: 'lag', color: '#c0392b' }], data.lagHistory));
  }

  // ------------------------------------------------------------------------------------------------ the page

  function start() {
    const path = decodeURI(location.pathname).replace(/\/+$/, '') || '/';
    let match = null;
    const page = pages.find((p) => (match = p.pattern.exec(path)));
    if (!page) {
      main.replaceChildren(el('h1', null, 'Not found'));
      return;
    }
    const argument = match[1] ? decodeURIComponent(match[1]) : undefined;
    document.querySelector(`nav a[data-nav="${page.nav}"]`)?.classList.add('active');
    document.title = `Orlog · ${page.title(argument)}`;
    const content = el('div', { id: 'content' });
    const chartArea = el('div', { id: 'charts' });
    main.replaceChildren(el('h1', null, page.title(argument)), content, chartArea);
    const chartBoxes = new Map();
    const view = {
      content,
      chart(name, title) {
        if (!chartBoxes.has(name)) {
          const box = el('div', { class: 'chart', id: `chart-${name}` });
          chartArea.append(el('h2', null, title), box);
          chartBoxes.set(name, box);
        }
        return chartBoxes.get(name);
      },
      charts(draw) { draw(); },
    };
    async function refresh() {
      try {
        const data = await page.load(argument);
        page.render(data, view);
        status.textContent = `updated ${new Date().toLocaleTimeString()}`;
        status.classList.remove('error');
        document.body.setAttribute('data-loaded', 'true');
      } catch (error) {
        status.textContent = error.message;
        status.classList.add('error');
      }
    }
    refresh();
    setInterval(refresh, refreshMs);
  }

  start();
})();
