// The if-fleet web page: submits a job, follows its event stream, lists recent jobs. Every request carries the API key
// given on the page (kept in sessionStorage: this tab only) when there is one. No dependencies but sse.js.
'use strict';

const STAGES = ['encode', 'stage1', 'sr', 'upscale'];
const TERMINAL = ['completed', 'failed', 'canceled'];
const KEY_ITEM = 'if-fleet.api-key';
const $ = (id) => document.getElementById(id);
let current = null; // {id, stream}
let objectUrls = []; // images fetched for the current job, released when another is shown

function apiKey() {
  return sessionStorage.getItem(KEY_ITEM) || '';
}

function authHeaders() {
  return apiKey() ? { Authorization: `Bearer ${apiKey()}` } : {};
}

/** fetch() of the gateway's API, with the API key. */
function api(path, options) {
  const opts = Object.assign({}, options);
  opts.headers = Object.assign({}, opts.headers, authHeaders());
  return fetch(path, opts);
}

/** An image (or any file) of the API as an object URL: <img src> and <a href> could not send the key. */
async function objectUrl(path) {
  const res = await api(path);
  if (!res.ok) throw new Error(await problemOf(res));
  const url = URL.createObjectURL(await res.blob());
  objectUrls.push(url);
  return url;
}

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

// A problem+json body's detail, else the HTTP status line; a 401 says what to do about the key.
async function problemOf(res) {
  if (res.status === 401) {
    return apiKey()
      ? 'The gateway did not accept this API key (401): check it, or ask its admin for a new one.'
      : 'This gateway needs an API key (401): enter yours in the API key field above.';
  }
  try {
    const p = await res.json();
    return p.detail || p.title || `HTTP ${res.status}`;
  } catch (e) {
    return `HTTP ${res.status} ${res.statusText}`;
  }
}

function buildStageBars(outputSize, mode) {
  const last = { 64: 'stage1', 256: 'sr', 1024: 'upscale' }[outputSize] || 'upscale';
  const first = mode === 'upscale' ? 'sr' : STAGES[0];
  const box = $('stages');
  box.replaceChildren();
  STAGES.slice(STAGES.indexOf(first), STAGES.indexOf(last) + 1).forEach((s) => {
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

async function showPreview(stage, path) {
  const img = $(`preview-${stage}`);
  if (!img) return;
  try {
    img.src = await objectUrl(path);
    img.dataset.url = path;
    $(`figure-${stage}`).hidden = false;
  } catch (e) {
    showError(`Could not load the ${stage} preview: ${e.message}`);
  }
}

/** Links to every delivered image: {stage, index, url, flagged} from the job view's outputs. */
async function showDownloads(outputs) {
  const list = $('downloads');
  list.replaceChildren();
  for (const o of outputs || []) {
    const name = o.index === 0 ? o.stage : `${o.stage}-${o.index}`;
    try {
      const href = await objectUrl(o.url);
      const label = `Download ${o.stage} image${o.index === 0 ? '' : ` ${o.index + 1}`}`
        + (o.flagged ? ' (withheld by the safety checker)' : '');
      list.append(el('li', {}, el('a', { id: `download-${name}`, href, 'data-url': o.url,
        download: `${current.id}-${name}.png` }, label)));
    } catch (e) {
      showError(`Could not fetch the ${name} image: ${e.message}`);
    }
  }
}

/** The first image of each stage as outputs, for an event that names only those. */
function outputsOf(images) {
  return Object.entries(images || {}).map(([stage, url]) => ({ stage, index: 0, url, flagged: false }));
}

/** Saves a file of the API under a name, fetched with the key (for links in the job history). */
async function download(path, filename) {
  try {
    const a = el('a', { href: await objectUrl(path), download: filename });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (e) {
    showError(`Could not fetch ${filename}: ${e.message}`);
  }
}

async function finish(name, data) {
  current.stream.close();
  if (name === 'completed') {
    setStatus('succeeded');
    // the job view lists every image of a batch; the event only each stage's first
    const res = await api(`/v1/jobs/${current.id}`);
    await showDownloads(res.ok ? (await res.json()).outputs : outputsOf(data.images));
  } else {
    setStatus(name);
    if (data.message) showError(`Job ${name}: ${data.message}`);
  }
  loadHistory();
}

const HANDLERS = {
  'stage.started': (d) => { setStatus('running'); setBar(d.stage, 0, 1, 'started'); },
  progress: (d) => { setStatus('running'); setBar(d.stage, d.step, d.total); },
  preview: (d) => { setBar(d.stage, d.step, d.total); showPreview(d.stage, d.preview_url); },
  'stage.completed': (d) => {
    setBar(d.stage, 1, 1, 'done');
    if (d.preview_url) showPreview(d.stage, d.preview_url);
  },
};
TERMINAL.forEach((name) => { HANDLERS[name] = (d) => finish(name, d); });

/** Follows a job's events (its history first); reconnects with Last-Event-ID when the connection drops. */
function follow(id) {
  const followed = { id, stream: null };
  current = followed;
  followed.stream = openEventStream(`/v1/jobs/${encodeURIComponent(id)}/events`, {
    headers: authHeaders,
    onEvent: (name, data) => {
      if (current !== followed || !HANDLERS[name]) return;
      HANDLERS[name](JSON.parse(data));
    },
    onRefused: async (res) => {
      followed.refused = true;
      showError(await problemOf(res));
    },
  });
}

/** A chosen file as a data: URL (the API takes images inline as base64). */
function dataUrl(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function requestBody() {
  const body = { prompt: $('prompt').value, output_size: Number($('output-size').value) };
  if ($('negative-prompt').value) body.negative_prompt = $('negative-prompt').value;
  if ($('seed').value !== '') body.seed = Number($('seed').value);
  const mode = $('mode').value;
  if (mode !== 'text_to_image') body.mode = mode;
  if ($('num-images').value !== '' && Number($('num-images').value) !== 1) body.num_images = Number($('num-images').value);
  ['stage1', 'sr', 'upscale'].forEach((s) => {
    const v = $(`steps-${s}`).value;
    if (v !== '') body[s] = { steps: Number(v) };
  });
  const stage1 = () => { body.stage1 = body.stage1 || {}; return body.stage1; };
  if ($('strength').value !== '') stage1().strength = Number($('strength').value);
  if ($('live-preview').checked && mode !== 'upscale') stage1().preview_every = 5;
  if (mode !== 'text_to_image' && $('image-file').files.length) body.image = await dataUrl($('image-file').files[0]);
  if (mode === 'inpainting' && $('mask-file').files.length) body.mask = await dataUrl($('mask-file').files[0]);
  return body;
}

/** Shows the upload fields the chosen mode takes. */
function modeChanged() {
  const mode = $('mode').value;
  $('uploads').hidden = mode === 'text_to_image';
  $('mask-box').hidden = mode !== 'inpainting';
}

/** Shows one job's panel and follows its event stream. */
function show(id, status, outputSize, mode) {
  if (current) current.stream.close();
  objectUrls.forEach((u) => URL.revokeObjectURL(u));
  objectUrls = [];
  $('job').hidden = false;
  $('job-id').textContent = id;
  ['stage1', 'sr'].forEach((s) => {
    $(`figure-${s}`).hidden = true;
    $(`preview-${s}`).removeAttribute('src');
    delete $(`preview-${s}`).dataset.url;
  });
  $('downloads').replaceChildren();
  buildStageBars(outputSize, mode);
  setStatus(status);
  follow(id);
}

/** The page opened as a job's web URL (/?job=<id>): follow that job, whose history replays first. */
async function openLinkedJob() {
  const id = new URLSearchParams(window.location.search).get('job');
  if (!id) return;
  const res = await api(`/v1/jobs/${encodeURIComponent(id)}`);
  if (!res.ok) {
    showError(await problemOf(res));
    return;
  }
  const job = await res.json();
  show(job.id, job.status, job.params.output_size, job.params.mode);
}

async function submit(ev) {
  ev.preventDefault();
  showError('');
  $('submit').disabled = true;
  try {
    const body = await requestBody();
    const res = await api('/v1/jobs', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!res.ok) {
      showError(await problemOf(res));
      return;
    }
    const job = await res.json();
    show(job.id, job.status, body.output_size, body.mode);
    loadHistory();
  } catch (e) {
    showError(`Could not reach the gateway: ${e.message}`);
  } finally {
    $('submit').disabled = false;
  }
}

async function cancel() {
  if (!current) return;
  const res = await api(`/v1/jobs/${current.id}/cancel`, { method: 'POST' });
  if (!res.ok) showError(await problemOf(res));
  // the stream reports the canceled event; a 409 means the job had already ended
}

async function loadHistory() {
  try {
    const res = await api('/v1/jobs?limit=20');
    if (!res.ok) {
      showError(await problemOf(res));
      return;
    }
    const rows = (await res.json()).jobs.map((j) => {
      const images = el('td', {});
      Object.entries(j.images || {}).forEach(([s, path]) => {
        const link = el('a', { href: path, 'data-url': path }, s);
        link.addEventListener('click', (ev) => { ev.preventDefault(); download(path, `${j.id}-${s}.png`); });
        images.append(link);
      });
      const prompt = j.params && j.params.prompt ? j.params.prompt : '';
      return el('tr', { id: `history-${j.id}` },
        el('td', {}, el('a', { href: `?job=${encodeURIComponent(j.id)}`, title: 'follow this job' },
          el('code', {}, j.id.slice(0, 8)))),
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

function showKeyState() {
  $('key-state').textContent = apiKey() ? 'Key set for this tab.' : 'No key: fine when the gateway is open.';
  $('forget-key').disabled = !apiKey();
}

/** Keeps the key for this tab (sessionStorage), then retries what needed it. */
function useKey(ev) {
  ev.preventDefault();
  const key = $('api-key').value.trim();
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
  showKeyState();
  showError('');
  loadHistory();
  if (current && current.refused) follow(current.id);
}

function forgetKey() {
  sessionStorage.removeItem(KEY_ITEM);
  $('api-key').value = '';
  showKeyState();
}

$('api-key').value = apiKey();
showKeyState();
$('key-form').addEventListener('submit', useKey);
$('forget-key').addEventListener('click', forgetKey);
$('job-form').addEventListener('submit', submit);
$('mode').addEventListener('change', modeChanged);
$('cancel').addEventListener('click', cancel);
$('refresh').addEventListener('click', loadHistory);
loadHistory();
openLinkedJob();
