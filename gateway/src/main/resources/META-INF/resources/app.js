// The if-fleet web page: submits a job, follows its event stream, lists recent jobs. No dependencies.
'use strict';

const STAGES = ['encode', 'stage1', 'sr', 'upscale'];
const TERMINAL = ['completed', 'failed', 'canceled'];
const $ = (id) => document.getElementById(id);
let current = null; // {id, source}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  children.forEach((c) => e.append(c));
  return e;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

// A problem+json body's detail, else the HTTP status line.
async function problemOf(res) {
  try {
    const p = await res.json();
    return p.detail || p.title || `HTTP ${res.status}`;
  } catch (e) {
    return `HTTP ${res.status} ${res.statusText}`;
  }
}

function buildStageBars(outputSize) {
  const last = { 64: 'stage1', 256: 'sr', 1024: 'upscale' }[outputSize] || 'upscale';
  const box = $('stages');
  box.replaceChildren();
  STAGES.slice(0, STAGES.indexOf(last) + 1).forEach((s) => {
    const bar = el('progress', { id: `bar-${s}`, max: '1', value: '0', 'aria-labelledby': `label-${s}` });
    box.append(el('div', { class: 'stage', id: `row-${s}` },
      el('span', { id: `label-${s}` }, s), bar, el('span', { class: 'count', id: `count-${s}` }, 'waiting')));
  });
}

function setBar(stage, step, total, text) {
  const bar = $(`bar-${stage}`);
  if (!bar) return;
  bar.max = total;
  bar.value = step;
  $(`count-${stage}`).textContent = text || `${step}/${total} (${Math.round((100 * step) / total)}%)`;
}

function setStatus(s) {
  $('status').textContent = s;
  $('cancel').disabled = TERMINAL.includes(s) || s === 'succeeded';
}

function showPreview(stage, url) {
  const img = $(`preview-${stage}`);
  if (!img) return;
  img.src = url;
  $(`figure-${stage}`).hidden = false;
}

function showDownloads(images) {
  const list = $('downloads');
  list.replaceChildren();
  Object.entries(images || {}).forEach(([stage, url]) => {
    list.append(el('li', {}, el('a', { id: `download-${stage}`, href: url, download: `${current.id}-${stage}.png` },
      `Download ${stage} image`)));
  });
}

async function finish(name, data) {
  current.source.close();
  if (name === 'completed') {
    setStatus('succeeded');
    let images = data.images;
    if (!images || Object.keys(images).length === 0) {
      const res = await fetch(`/v1/jobs/${current.id}`);
      if (res.ok) images = (await res.json()).images;
    }
    showDownloads(images);
  } else {
    setStatus(name);
    if (data.message) showError(`Job ${name}: ${data.message}`);
  }
  loadHistory();
}

function follow(id) {
  const source = new EventSource(`/v1/jobs/${id}/events`);
  current = { id, source };
  const on = (name, handler) => source.addEventListener(name, (ev) => {
    if (!current || current.id !== id) return;
    handler(JSON.parse(ev.data));
  });
  on('stage.started', (d) => { setStatus('running'); setBar(d.stage, 0, 1, 'started'); });
  on('progress', (d) => { setStatus('running'); setBar(d.stage, d.step, d.total); });
  on('stage.completed', (d) => {
    setBar(d.stage, 1, 1, 'done');
    if (d.preview_url) showPreview(d.stage, d.preview_url);
  });
  TERMINAL.forEach((name) => on(name, (d) => finish(name, d)));
}

function requestBody() {
  const body = { prompt: $('prompt').value, output_size: Number($('output-size').value) };
  if ($('negative-prompt').value) body.negative_prompt = $('negative-prompt').value;
  if ($('seed').value !== '') body.seed = Number($('seed').value);
  ['stage1', 'sr', 'upscale'].forEach((s) => {
    const v = $(`steps-${s}`).value;
    if (v !== '') body[s] = { steps: Number(v) };
  });
  return body;
}

/** Shows one job's panel and follows its event stream. */
function show(id, status, outputSize) {
  if (current) current.source.close();
  $('job').hidden = false;
  $('job-id').textContent = id;
  ['stage1', 'sr'].forEach((s) => { $(`figure-${s}`).hidden = true; $(`preview-${s}`).removeAttribute('src'); });
  $('downloads').replaceChildren();
  buildStageBars(outputSize);
  setStatus(status);
  follow(id);
}

/** The page opened as a job's web URL (/?job=<id>): follow that job, whose history replays first. */
async function openLinkedJob() {
  const id = new URLSearchParams(window.location.search).get('job');
  if (!id) return;
  const res = await fetch(`/v1/jobs/${encodeURIComponent(id)}`);
  if (!res.ok) {
    showError(await problemOf(res));
    return;
  }
  const job = await res.json();
  show(job.id, job.status, job.params.output_size);
}

async function submit(ev) {
  ev.preventDefault();
  showError('');
  $('submit').disabled = true;
  try {
    const body = requestBody();
    const res = await fetch('/v1/jobs', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!res.ok) {
      showError(await problemOf(res));
      return;
    }
    const job = await res.json();
    show(job.id, job.status, body.output_size);
    loadHistory();
  } catch (e) {
    showError(`Could not reach the gateway: ${e.message}`);
  } finally {
    $('submit').disabled = false;
  }
}

async function cancel() {
  if (!current) return;
  const res = await fetch(`/v1/jobs/${current.id}/cancel`, { method: 'POST' });
  if (!res.ok) showError(await problemOf(res));
  // the stream reports the canceled event; a 409 means the job had already ended
}

async function loadHistory() {
  try {
    const res = await fetch('/v1/jobs?limit=20');
    if (!res.ok) {
      showError(await problemOf(res));
      return;
    }
    const rows = (await res.json()).jobs.map((j) => {
      const images = el('td', {});
      Object.entries(j.images || {}).forEach(([s, url]) => images.append(el('a', { href: url }, s)));
      const prompt = j.params && j.params.prompt ? j.params.prompt : '';
      return el('tr', { id: `history-${j.id}` },
        el('td', {}, el('a', { href: `/v1/jobs/${j.id}` }, el('code', {}, j.id.slice(0, 8)))),
        el('td', { class: 'status' }, j.status),
        el('td', {}, new Date(j.created_at).toLocaleString()),
        el('td', { class: 'prompt', title: prompt }, prompt),
        images);
    });
    $('history').tBodies[0].replaceChildren(...rows);
  } catch (e) {
    showError(`Could not load recent jobs: ${e.message}`);
  }
}

$('job-form').addEventListener('submit', submit);
$('cancel').addEventListener('click', cancel);
$('refresh').addEventListener('click', loadHistory);
loadHistory();
openLinkedJob();
