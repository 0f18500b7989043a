/**
 * The dashboard's browser script, sent as /dashboard/app.js. Plain JavaScript over the admin API: the
 * admin key is asked once and kept in sessionStorage (sent as a bearer key, never in a URL); the plots
 * are uPlot (served from the npm package), the confidence intervals small SVGs. Each chart stays on
 * `window.edgewiseCharts` so what it plots can be read back (the browser test does).
 */
export const DASHBOARD_SCRIPT = `
"use strict";
const KEY = "edgewise-admin-key";
const $ = (id) => document.getElementById(id);
window.edgewiseCharts = {};

async function api(path, init = {}) {
  const response = await fetch(path, {
    ...init,
    headers: { authorization: "Bearer " + sessionStorage.getItem(KEY), "content-type": "application/json" },
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    sessionStorage.removeItem(KEY);
    showLogin("that key was refused");
    throw new Error("unauthorized");
  }
  if (!response.ok) {
    throw new Error((body.error && body.error.message) || "HTTP " + response.status);
  }
  return body;
}

function showLogin(message) {
  $("main").hidden = true;
  $("login").hidden = false;
  $("login-message").textContent = message || "";
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function table(id, headers, rows) {
  const element = $(id);
  element.replaceChildren();
  const head = element.createTHead().insertRow();
  for (const header of headers) head.appendChild(Object.assign(document.createElement("th"), { textContent: header }));
  const body = element.createTBody();
  for (const values of rows) {
    const row = body.insertRow();
    for (const value of values) {
      if (value instanceof Node) row.insertCell().appendChild(value);
      else cell(row, value === null || value === undefined ? "–" : String(value));
    }
  }
}

function plot(name, element, series, data) {
  if (window.edgewiseCharts[name]) window.edgewiseCharts[name].destroy();
  element.replaceChildren();
  window.edgewiseCharts[name] = new uPlot(
    { width: Math.max(320, element.clientWidth || 640), height: 220, series, legend: { live: false } },
    data,
    element,
  );
}

const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"];

function renderReleases(overview) {
  $("serving-version").textContent = overview.serving_version === null ? "none" : String(overview.serving_version);
  const releases = overview.releases;
  const keys = [];
  for (const release of releases)
    for (const model of release.models)
      if (model.metric && !keys.includes(model.name + " " + model.metric)) keys.push(model.name + " " + model.metric);
  const x = releases.map((release) => Date.parse(release.publishedAt) / 1000);
  const ys = keys.map((key) =>
    releases.map((release) => {
      const model = release.models.find((m) => m.name + " " + m.metric === key);
      return model && model.value !== null ? model.value : null;
    }),
  );
  plot(
    "releases",
    $("releases-chart"),
    [{ label: "published" }, ...keys.map((key, i) => ({ label: key, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true, size: 7 } }))],
    [x, ...ys],
  );
  table(
    "releases-table",
    ["release", "published", "models", "serving"],
    releases
      .slice()
      .reverse()
      .map((release) => {
        let action = "serving";
        if (!release.current) {
          action = Object.assign(document.createElement("button"), { textContent: "Serve again" });
          action.dataset.release = String(release.version);
          action.addEventListener("click", () => rollback(release.version, action));
        }
        const models = release.models.map((m) => m.name + "@" + m.version + (m.value === null ? "" : " " + m.metric + " " + m.value.toFixed(3)));
        const when = release.publishedAt + (release.restoredFrom === undefined ? "" : " (rollback to " + release.restoredFrom + ")");
        return [release.version, when, models.join(", "), action];
      }),
  );
}

async function rollback(version, button) {
  if (!confirm("Serve release " + version + " again?")) return;
  button.disabled = true;
  try {
    const outcome = await api("/v1/admin/rollback", { method: "POST", body: JSON.stringify({ version }) });
    $("status").textContent = "manifest " + outcome.manifest_version + " now serves release " + outcome.restored_from;
  } catch (error) {
    $("status").textContent = "rollback failed: " + error.message;
  }
  await refresh();
}

function renderIngestion(overview) {
  table("ingestion", ["record type", "stored"], overview.ingestion.byType.map((entry) => [entry.type, entry.stored]));
  const rejected = overview.ingestion.rejected;
  table(
    "rejected",
    ["kind", "rejected because of", "records"],
    rejected.length === 0 ? [["–", "none since this origin started", 0]] : rejected.map((r) => [r.kind, r.reason, r.count]),
  );
}

function renderRequests(overview) {
  const samples = overview.requests;
  const x = [];
  const rate = [];
  const latency = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const seconds = (b.t - a.t) / 1000;
    const count = b.durationCount - a.durationCount;
    x.push(b.t / 1000);
    rate.push(seconds > 0 ? (b.requests - a.requests) / seconds : 0);
    latency.push(count > 0 ? ((b.durationSumSeconds - a.durationSumSeconds) / count) * 1000 : null);
  }
  plot(
    "requests",
    $("requests-chart"),
    [
      { label: "time" },
      { label: "requests/s", stroke: COLOURS[0], width: 2, scale: "rate" },
      { label: "mean latency (ms)", stroke: COLOURS[1], width: 2, scale: "ms" },
    ],
    [x, rate, latency],
  );
  const d = overview.degraded_last_hour;
  $("degraded").textContent =
    d.decisions === 0
      ? "no recommendation answers logged by the edge in the last hour"
      : "degraded answers in the last hour: " + ((100 * d.degraded) / d.decisions).toFixed(1) + "% (" + d.degraded + " of " + d.decisions + ")";
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function renderExperiments(overview) {
  const container = $("experiments");
  container.replaceChildren();
  if (overview.experiments.length === 0) container.textContent = "no experiment has logged a decision";
  for (const experiment of overview.experiments) {
    const figure = document.createElement("figure");
    figure.dataset.experiment = experiment.id;
    figure.appendChild(Object.assign(document.createElement("figcaption"), { textContent: experiment.id + ": mean top-slot reward, 95% interval" }));
    const arms = experiment.arms.filter((arm) => arm.reward !== null);
    const low = Math.min(0, ...arms.map((arm) => arm.reward.lower));
    const high = Math.max(1, ...arms.map((arm) => arm.reward.upper));
    const width = 520, left = 110, right = 20, rowHeight = 28;
    const scale = (v) => left + ((v - low) / (high - low || 1)) * (width - left - right);
    const chart = svg("svg", { width, height: rowHeight * (experiment.arms.length + 1), role: "img" });
    experiment.arms.forEach((arm, i) => {
      const y = rowHeight * (i + 0.8);
      const group = svg("g", { "data-arm": arm.arm });
      const label = svg("text", { x: 4, y: y + 4, "font-size": 12 });
      label.textContent = arm.arm + " (" + arm.decisions + ")";
      group.appendChild(label);
      if (arm.reward !== null) {
        group.setAttribute("data-mean", arm.reward.mean);
        group.setAttribute("data-lower", arm.reward.lower);
        group.setAttribute("data-upper", arm.reward.upper);
        group.appendChild(svg("line", { x1: scale(arm.reward.lower), x2: scale(arm.reward.upper), y1: y, y2: y, stroke: "#333", "stroke-width": 2 }));
        group.appendChild(svg("circle", { cx: scale(arm.reward.mean), cy: y, r: 5, fill: COLOURS[i % COLOURS.length] }));
      }
      chart.appendChild(group);
    });
    const axis = svg("text", { x: left, y: rowHeight * (experiment.arms.length + 0.9), "font-size": 11 });
    axis.textContent = low.toFixed(2) + " … " + high.toFixed(2);
    chart.appendChild(axis);
    figure.appendChild(chart);
    container.appendChild(figure);
  }
}

function renderLearning(overview) {
  const rows = [];
  for (const run of overview.learning_runs) {
    const policies = run.policies.length === 0 ? [null] : run.policies;
    for (const policy of policies) {
      const e = policy && policy.estimates;
      rows.push([
        run.started_at,
        policy ? policy.policy : "–",
        policy ? policy.examples : 0,
        e ? e.estimator + ": candidate " + e.candidate.toFixed(3) + " vs logging " + e.logging.toFixed(3) : "no estimate",
        policy ? (policy.publish ? "passes" : "held back") + ": " + policy.reason : "nothing to learn",
        run.published || "–",
      ]);
    }
  }
  table("learning", ["started", "policy", "examples", "off-policy estimate", "gate", "published"], rows);
}

async function refresh() {
  const overview = await api("/v1/admin/overview");
  $("login").hidden = true;
  $("main").hidden = false;
  $("generated").textContent = "as of " + overview.generated_at;
  renderReleases(overview);
  renderIngestion(overview);
  renderRequests(overview);
  renderExperiments(overview);
  renderLearning(overview);
  document.body.dataset.loaded = "true";
}

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $("key").value);
  refresh().catch((error) => { $("status").textContent = error.message; });
});
if (sessionStorage.getItem(KEY)) refresh().catch((error) => { $("status").textContent = error.message; });
else showLogin();
setInterval(() => { if (sessionStorage.getItem(KEY) && !$("main").hidden) refresh().catch(() => {}); }, 30000);
`;
