// The page's other views, on top of app.js (api, element, $, openSource): the header's status and banner,
// Documents (the list, its filters, skipped files, upload by drag and drop, the trash), Models (each
// night's held-out accuracy as an SVG chart, the versions, train now / use / roll back, the training under way
// with its stage, progress, ETA and loss curve, live, or the last run's) and Feedback (thumbs
// under each answer, corrections, their list). Plain DOM, no build step; every text from the server goes in
// with textContent.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
let shownDocuments = [];
let indexedCount = 0; // every indexed document, whatever the filter

async function json(path, options = {}) {
  const response = await api(path, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function when(value) {
  if (value === null || value === undefined) return "never";
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function percent(value) {
  return value === null || value === undefined ? "–" : `${Math.round(value * 100)}%`;
}

// ---- Header and banner ----

async function refreshStatus() {
  let status;
  try {
    status = await json("/status");
  } catch (error) {
    $("status").textContent = "server unreachable";
    return;
  }
  const daemon = status.daemon;
  const parts = [`model: ${status.live_model}`, `${status.documents} documents, ${status.chunks} chunks`];
  if (daemon) {
    parts.push(daemon.watcher === "native" ? "watching your folder" : `watching your folder (${daemon.watcher})`);
    parts.push(
      daemon.training_running_since
        ? `training since ${when(daemon.training_running_since)}`
        : `next training ${daemon.next_training ? when(daemon.next_training) : "not scheduled"}`,
    );
  }
  $("status").textContent = parts.join(" · ");
  const lines = [];
  const reading = daemon && daemon.reading;
  if (reading && !status.last_scan) {
    // the folder's first reading: nothing or only part of it is indexed
    lines.push([
      "info",
      `Still reading your folder (${reading.done} of ${reading.total} files): ` +
        "questions are answered once the first files are read.",
    ]);
  } else if (reading) {
    lines.push(["info", `Reading new files (${reading.done} of ${reading.total}).`]);
  }
  if (status.settings_changed) {
    lines.push([
      "problem",
      "index: built with other embedding settings than config.toml has — run `foldermind index` to rebuild it",
    ]);
  }
  for (const problem of status.problems || []) {
    lines.push(["problem", `${problem.name}: ${problem.detail}${problem.fix ? " — " + problem.fix : ""}`]);
  }
  $("banner").replaceChildren(...lines.map(([kind, text]) => element("p", kind, text)));
  $("banner").hidden = !lines.length;
}

// ---- Views ----

function show(view) {
  for (const tab of document.querySelectorAll(".tab")) {
    if (tab.dataset.view === view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `${view}-view`;
  $("viewer").hidden = true;
  if (view === "documents") loadDocuments();
  if (view === "models") loadModels();
  if (view === "feedback") loadFeedback();
}

// ---- Documents ----

function fillSelect(select, options, keep = true) {
  const previous = select.value;
  select.replaceChildren(
    ...options.map(([value, label]) => {
      const option = element("option", "", label);
      option.value = value;
      return option;
    }),
  );
  if (keep && options.some(([value]) => value === previous)) select.value = previous;
}

function distinct(values) {
  return [...new Set(values)].sort();
}

async function loadDocuments() {
  const [listed, status, removed] = await Promise.all([json("/documents"), json("/status"), json("/trash")]);
  shownDocuments = listed.documents;
  shownWhere = "";
  indexedCount = shownDocuments.length;
  const categories = distinct(shownDocuments.map((d) => d.category).filter(Boolean));
  fillSelect($("doc-category"), [["", "all categories"], ...categories.map((c) => [c, c])]);
  fillSelect($("doc-type"), [
    ["", "all types"],
    ...distinct(shownDocuments.map((d) => d.file_type)).map((t) => [t, t]),
  ]);
  fillSelect($("upload-category"), [
    ["", "(top of the folder)"],
    ...categories.map((c) => [c, c]),
    ["\n", "new category…"],
  ]);
  renderSkipped(status.failed);
  renderDocuments();
  renderTrash(removed.trash);
}

function renderSkipped(failed) {
  const entries = Object.entries(failed);
  $("skipped").hidden = !entries.length;
  $("skipped-summary").textContent = `${entries.length} file${entries.length === 1 ? "" : "s"} could not be read`;
  $("skipped-list").replaceChildren(
    ...entries.map(([path, reason]) => {
      const item = element("li");
      item.append(element("code", "", path), document.createTextNode(`: ${reason}`));
      return item;
    }),
  );
}

let shownWhere = ""; // the key=value filters (metadata, tag, …) the server applied to shownDocuments

// The filter box takes words (matched in titles, paths and tags, here) and key=value pairs (a metadata field,
// as `foldermind search --where` takes them, matched by the server).
async function renderDocuments() {
  const typed = $("doc-filter").value;
  const terms = typed.split(/\s+/).filter(Boolean);
  const pairs = terms.filter((term) => /^[^=]+=/.test(term));
  const words = terms.filter((term) => !pairs.includes(term)).map((word) => word.toLowerCase());
  if (pairs.join("&") !== shownWhere) {
    const query = new URLSearchParams(pairs.map((pair) => ["where", pair]));
    let listed;
    try {
      listed = (await json(`/documents?${query}`)).documents;
    } catch (error) {
      $("doc-count").textContent = error.message;
      return;
    }
    if ($("doc-filter").value !== typed) return; // typed on meanwhile: the call for the newer text shows it
    [shownDocuments, shownWhere] = [listed, pairs.join("&")];
  }
  const category = $("doc-category").value;
  const type = $("doc-type").value;
  const matching = shownDocuments.filter((d) => {
    const text = `${d.title} ${d.path} ${d.tags.join(" ")}`.toLowerCase();
    return (
      (!category || d.category === category) &&
      (!type || d.file_type === type) &&
      words.every((word) => text.includes(word))
    );
  });
  $("doc-count").textContent = `${matching.length} of ${indexedCount} documents`;
  $("doc-table").tBodies[0].replaceChildren(...matching.map(documentRow));
}

function documentRow(doc) {
  const row = element("tr");
  const title = element("td", "doc-title");
  const link = element("a", "doc-link", doc.title);
  link.href = "#";
  link.addEventListener("click", (event) => {
    event.preventDefault();
    openSource({ document_id: doc.id });
  });
  title.append(link, element("div", "muted", doc.path));
  const remove = element("button", "remove", "Remove");
  remove.type = "button";
  remove.setAttribute("aria-label", `Remove ${doc.path}`);
  remove.addEventListener("click", () => removeDocument(doc));
  const action = element("td");
  action.append(remove);
  row.append(
    title,
    element("td", "", doc.category || "–"),
    element("td", "", doc.file_type),
    element("td", "num", size(doc.size)),
    element("td", "num", String(doc.chunks)),
    element("td", "when", when(doc.indexed)),
    action,
  );
  return row;
}

async function removeDocument(doc) {
  const question =
    `Move "${doc.path}" to the trash?\n\nIt leaves your folder and the index; ` +
    "you can put it back from the trash at the bottom of this page.";
  if (!confirm(question)) return;
  try {
    await json(`/documents/${doc.id}`, { method: "DELETE" });
  } catch (error) {
    alert(error.message);
    return;
  }
  await waitFor(async () => !(await json("/documents")).documents.some((d) => d.path === doc.path));
  loadDocuments();
}

function renderTrash(entries) {
  $("trash").hidden = !entries.length;
  $("trash-summary").textContent = `Trash (${entries.length})`;
  $("trash-list").replaceChildren(
    ...entries.map((entry) => {
      const item = element("li");
      const restore = element("button", "restore", "Put back");
      restore.type = "button";
      restore.addEventListener("click", async () => {
        try {
          await json("/trash/restore", { method: "POST", body: JSON.stringify({ id: entry.id }) });
        } catch (error) {
          alert(error.message);
          return;
        }
        await waitFor(async () => (await json("/documents")).documents.some((d) => d.path === entry.path));
        loadDocuments();
      });
      item.append(
        element("code", "", entry.path),
        element("span", "muted", ` removed ${when(entry.removed)} `),
        restore,
      );
      return item;
    }),
  );
}

// Poll until `done()` holds (the watcher indexes a change within a second or two), at most `seconds`.
async function waitFor(done, seconds = 30) {
  for (let waited = 0; waited < seconds * 2; waited++) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

function uploadCategory() {
  const chosen = $("upload-category").value;
  return chosen === "\n" ? $("new-category").value.trim() : chosen;
}

async function upload(files) {
  const category = uploadCategory();
  const saved = [];
  for (const { file, name } of files) {
    const line = element("li", "", `${name}: saving…`);
    $("upload-log").prepend(line);
    try {
      const query = new URLSearchParams({ name, category });
      const result = await json(`/documents/upload?${query}`, { method: "POST", body: file });
      line.textContent = `${result.path}: saved, indexing…`;
      saved.push([result.path, line]);
    } catch (error) {
      line.className = "error";
      line.textContent = `${name}: ${error.message}`;
    }
  }
  if (!saved.length) return;
  // Each saved file ends up indexed, or in the list of files that could not be read (with why).
  await waitFor(async () => {
    const [listed, status] = await Promise.all([json("/documents"), json("/status")]);
    const paths = new Set(listed.documents.map((d) => d.path));
    for (const [path, line] of saved) {
      if (paths.has(path)) {
        line.className = "done";
        line.textContent = `${path}: indexed`;
      } else if (path in status.failed) {
        line.className = "error";
        line.textContent = `${path}: saved, but it could not be read: ${status.failed[path]}`;
      }
    }
    return saved.every(([path]) => paths.has(path) || path in status.failed);
  });
  loadDocuments();
  refreshStatus();
}

// A dropped folder arrives as an entry to walk; each file is saved under its path inside the folder.
async function entryFiles(entry, prefix) {
  if (entry.isFile) return [{ file: await new Promise((ok, fail) => entry.file(ok, fail)), name: prefix + entry.name }];
  const reader = entry.createReader();
  const children = [];
  for (;;) {
    const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
    if (!batch.length) break;
    children.push(...batch);
  }
  const files = [];
  for (const child of children) files.push(...(await entryFiles(child, `${prefix}${entry.name}/`)));
  return files;
}

async function dropped(event) {
  event.preventDefault();
  $("drop").classList.remove("over");
  const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry());
  if (entries.length && entries.every(Boolean)) {
    const files = [];
    for (const entry of entries) files.push(...(await entryFiles(entry, "")));
    upload(files);
  } else {
    upload([...event.dataTransfer.files].map((file) => ({ file, name: file.name })));
  }
}

// ---- Models ----

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function verdict(night) {
  if (night.status === "promoted") return `promoted as ${night.version}`;
  if (night.status === "rejected") return `refused by the gate: ${night.reasons.join("; ") || night.message}`;
  return night.message || night.status;
}

// What the chart can show of each night: the candidate's score under `key`, the base model's under `base`.
const MEASURES = {
  accuracy: { key: "accuracy", base: "base_accuracy", label: (v) => percent(v), what: "answered right" },
  perplexity: {
    key: "perplexity",
    base: "base_perplexity",
    label: (v) => v.toFixed(1),
    what: "perplexity on your held-out notes (lower is better)",
  },
  forgetting: {
    key: "forgetting",
    base: "base_forgetting",
    label: (v) => v.toFixed(1),
    what: "perplexity on general text (higher than the base's means forgetting)",
  },
};

// An SVG chart emptied and sized as wide as it is shown (a phone's width too, so that its labels stay
// readable) and `height` high; returns its `width` and the plot's `left` and `right` margins.
function frame(chart, height) {
  const width = Math.max(320, Math.min(640, chart.clientWidth || 640));
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  chart.replaceChildren();
  return { width, left: 44, right: 16 };
}

// A grid line across the plot at height `at`, labelled on the left.
function gridLine(chart, { width, left, right }, at, label) {
  chart.append(svg("line", { x1: left, x2: width - right, y1: at, y2: at, class: "grid" }));
  chart.append(svg("text", { x: left - 6, y: at + 4, class: "axis", "text-anchor": "end" }, label));
}

// One measure per night: the candidate of each night (green: promoted, red: refused), the base model's score
// on the same held-out data dashed, and a ring on the night that made the live version.
function drawChart(data, measure = MEASURES[$("chart-measure").value]) {
  const chart = $("models-chart");
  const height = 260,
    top = 22,
    bottom = 34;
  const box = frame(chart, height);
  const { width, left, right } = box;
  chart.setAttribute("aria-label", `Held-out ${measure.what}, night by night`);
  const nights = data.nights.filter((n) => n[measure.key] !== null && n[measure.key] !== undefined);
  const values = nights.flatMap((n) => [n[measure.key], n[measure.base]]).filter((v) => v !== null);
  const [low, high] = measure.key === "accuracy" ? [0, 1] : [Math.min(...values) * 0.9, Math.max(...values) * 1.1];
  const plotWidth = width - left - right,
    plotHeight = height - top - bottom;
  const y = (value) => top + (1 - (value - low) / (high - low || 1)) * plotHeight;
  const x = (i) => left + (i + 0.5) * (plotWidth / Math.max(nights.length, 1));
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    const tick = low + share * (high - low);
    gridLine(chart, box, y(tick), measure.label(tick));
  }
  if (!nights.length) {
    chart.append(
      svg(
        "text",
        { x: left + plotWidth / 2, y: top + plotHeight / 2, class: "empty", "text-anchor": "middle" },
        "No night measured yet: the first training runs on schedule, or press Train now.",
      ),
    );
    return;
  }
  const line = (key) =>
    nights
      .map((n, i) => (n[key] === null ? null : `${x(i)},${y(n[key])}`))
      .filter(Boolean)
      .join(" ");
  chart.append(svg("polyline", { points: line(measure.base), class: "base-line" }));
  chart.append(svg("polyline", { points: line(measure.key), class: "candidate-line" }));
  const every = Math.ceil(nights.length / 8);
  nights.forEach((night, i) => {
    const day = new Date(night.finished_at * 1000);
    if (i % every === 0) {
      chart.append(
        svg(
          "text",
          { x: x(i), y: height - 12, class: "axis", "text-anchor": "middle" },
          day.toLocaleDateString(undefined, { month: "short", day: "numeric" }),
        ),
      );
    }
    const value = night[measure.key];
    const point = svg("circle", { cx: x(i), cy: y(value), r: 5, class: `night ${night.status}` });
    const base = night[measure.base] === null ? "–" : measure.label(night[measure.base]);
    point.append(
      svg("title", {}, `${when(night.finished_at)}: ${measure.label(value)} (base ${base}), ${verdict(night)}`),
    );
    chart.append(point);
    if (night.status === "promoted" && night.version === data.live) {
      chart.append(svg("circle", { cx: x(i), cy: y(value), r: 9, class: "live-ring" }));
      chart.append(
        svg(
          "text",
          { x: x(i), y: y(value) - 13, class: "live-label", "text-anchor": "middle" },
          `live: ${night.version}`,
        ),
      );
    }
  });
}

function renderVersions(data) {
  $("versions").tBodies[0].replaceChildren(
    ...data.versions.map((version) => {
      const row = element("tr", version.live ? "live" : "");
      const name = element("td", "", version.name);
      if (version.live) name.append(element("span", "badge", "live"));
      const use = element("button", "use", "Use");
      use.type = "button";
      use.disabled = version.live;
      use.setAttribute("aria-label", `Use ${version.name}`);
      use.addEventListener("click", () =>
        switchModel(
          `Make ${version.name} the live model?\n\nAnswers come from it ` +
            "from the next question on; you can switch back at any time.",
          "/models/use",
          { version: version.name },
        ),
      );
      const action = element("td");
      action.append(use);
      row.append(
        name,
        element("td", "", version.made),
        element("td", "num", percent(version.accuracy)),
        element("td", "num", version.perplexity || "–"),
        action,
      );
      return row;
    }),
  );
  $("rollback").disabled = data.live === "base";
  $("rollback").dataset.live = data.live;
}

function renderNights(nights) {
  $("nights").replaceChildren(
    ...[...nights].reverse().map((night) => {
      const item = element("li", `night-${night.status}`);
      item.append(element("strong", "", when(night.finished_at)), document.createTextNode(` — ${verdict(night)}`));
      if (night.accuracy !== null) {
        const asked = night.questions
          ? ` of ${night.questions} held-out questions` +
            (night.rated_questions ? ` (${night.rated_questions} of them yours)` : "")
          : "";
        const scores =
          `answers ${percent(night.accuracy)} right${asked} (base ${percent(night.base_accuracy)})` +
          (night.perplexity
            ? `, perplexity on your notes ${night.perplexity.toFixed(2)} (base ${night.base_perplexity.toFixed(2)})`
            : "") +
          (night.forgetting
            ? `, on general text ${night.forgetting.toFixed(2)} (base ${night.base_forgetting.toFixed(2)})`
            : "");
        item.append(element("div", "muted", scores));
      }
      if (night.training) {
        const run = night.training;
        const minutes = Math.max(1, Math.round(run.seconds / 60));
        item.append(
          element(
            "div",
            "muted",
            `trained ${run.steps} steps in ${minutes} min at ${Math.round(run.tokens_per_second)} tokens/s, ` +
              `final loss ${run.loss}`,
          ),
        );
      }
      return item;
    }),
  );
}

// The loss of each training step, as a line: [step, loss] pairs.
function drawLoss(curve) {
  const chart = $("loss-chart");
  const height = 160,
    top = 10,
    bottom = 26;
  const box = frame(chart, height);
  const { width, left, right } = box;
  chart.style.display = curve.length ? "" : "none";
  if (!curve.length) return;
  const losses = curve.map(([, loss]) => loss);
  const [low, high] = [Math.min(...losses), Math.max(...losses)];
  const [first, last] = [curve[0][0], curve[curve.length - 1][0]];
  const x = (step) => left + ((step - first) / (last - first || 1)) * (width - left - right);
  const y = (loss) => top + (1 - (loss - low) / (high - low || 1)) * (height - top - bottom);
  for (const tick of high > low ? [low, (low + high) / 2, high] : [low]) gridLine(chart, box, y(tick), tick.toFixed(2));
  for (const [step, anchor] of [
    [first, "start"],
    [last, "end"],
  ]) {
    chart.append(svg("text", { x: x(step), y: height - 8, class: "axis", "text-anchor": anchor }, `step ${step}`));
  }
  const points = curve.map(([step, loss]) => `${x(step)},${y(loss)}`).join(" ");
  chart.append(svg("polyline", { points, class: "loss-line" }));
  const [step, loss] = curve[curve.length - 1];
  const now = svg("circle", { cx: x(step), cy: y(loss), r: 3, class: "loss-now" });
  now.append(svg("title", {}, `step ${step}: loss ${loss}`));
  chart.append(now);
}

// The training under way (`progress` from GET /models/training), or else the last run that trained.
function renderRun(progress, nights) {
  const run = $("run");
  const bar = $("run-progress");
  if (progress) {
    run.hidden = false;
    run.classList.remove("finished");
    $("run-title").textContent = "Training now";
    $("run-summary").textContent = progress.summary;
    if (progress.total) {
      bar.max = progress.total;
      bar.value = progress.done;
    } else {
      bar.removeAttribute("value"); // a stage without parts to count: the bar just shows it is busy
    }
    const curve = progress.loss_curve || [];
    drawLoss(curve);
    const speed = `at ${Math.round(progress.tokens_per_second)} tokens/s`;
    $("run-figures").textContent = !curve.length
      ? ""
      : progress.stage === "train"
        ? `Loss per step so far, ${speed}.`
        : `Loss per step of this run's training, ${speed}.`;
    return;
  }
  const last = [...nights].reverse().find((night) => night.training);
  run.hidden = !last;
  if (!last) return;
  const trained = last.training;
  run.classList.add("finished");
  $("run-title").textContent = "The last run";
  $("run-summary").textContent =
    `${when(last.finished_at)}: ${trained.steps} steps in ${Math.max(1, Math.round(trained.seconds / 60))} min ` +
    `at ${Math.round(trained.tokens_per_second)} tokens/s, final loss ${trained.loss} — ${verdict(last)}`;
  drawLoss(trained.loss_curve);
  $("run-figures").textContent = trained.loss_curve.length
    ? "Loss per training step."
    : "This run's loss per step was not kept.";
}

function renderTraining(training) {
  const progress = training.progress;
  $("training").textContent = progress
    ? `training since ${when(training.training_running_since || progress.started_at)}`
    : training.next_training
      ? `next training ${when(training.next_training)}`
      : "";
  $("train-now").disabled = Boolean(progress || training.training_running_since);
}

let modelsData = null;
let trainingShown = false; // whether the page shows a training under way

async function loadModels() {
  const data = await json("/models/history");
  modelsData = data;
  drawChart(data);
  renderVersions(data);
  renderNights(data.nights);
  renderRun(data.training.progress, data.nights);
  renderTraining(data.training);
  trainingShown = Boolean(data.training.progress);
}

// While the Models view is open, the training under way updates every two seconds; when it ends, its night
// joins the chart.
async function followTraining() {
  if ($("models-view").hidden || !modelsData) return;
  let training;
  try {
    training = await json("/models/training");
  } catch (error) {
    return;
  }
  if (training.progress) {
    renderRun(training.progress, modelsData.nights);
    trainingShown = true;
  } else if (trainingShown) {
    trainingShown = false;
    await loadModels();
    refreshStatus();
  }
  // Every poll: the daemon may still report the training's process for a moment after its progress ended.
  renderTraining(training);
}

async function switchModel(question, path, body) {
  if (!confirm(question)) return;
  try {
    await json(path, { method: "POST", body: JSON.stringify(body || {}) });
  } catch (error) {
    alert(error.message);
    return;
  }
  await loadModels();
  await refreshStatus();
}

async function trainNow() {
  const question =
    "Train a new version on your notes now?\n\nIt takes a while and uses the CPU (a chat question " +
    "pauses it). The new version goes live only if it answers more held-out questions right than the live one.";
  if (!confirm(question)) return;
  try {
    await json("/models/train", { method: "POST", body: "{}" });
    $("training").textContent = "training started";
    $("train-now").disabled = true;
    trainingShown = true; // its night is shown when it ends, even one too short to be seen running
  } catch (error) {
    $("training").textContent = error.message;
  }
  refreshStatus();
}

// ---- Feedback ----

// Thumbs up / down under an answer, as "Right" and "Wrong" (emoji fonts are often missing); "Wrong" opens a
// box for the right answer.
function renderRating(reply, rated) {
  const bar = element("div", "rate");
  const up = element("button", "thumb", "✓ Right");
  const down = element("button", "thumb", "✗ Wrong");
  up.type = down.type = "button";
  up.setAttribute("aria-label", "Good answer");
  down.setAttribute("aria-label", "Wrong answer");
  const said = element("span", "muted");
  const save = async (rating, correction) => {
    try {
      await json("/feedback", { method: "POST", body: JSON.stringify({ ...rated, rating, correction }) });
    } catch (error) {
      said.textContent = error.message;
      return;
    }
    bar.replaceChildren(
      element(
        "span",
        "muted",
        correction
          ? "Saved: the next training learns your answer."
          : "Thanks: every night's new version is asked this again, and must not answer it worse.",
      ),
    );
  };
  up.addEventListener("click", () => save("up", ""));
  down.addEventListener("click", () => {
    const box = element("form", "correct");
    const text = element("textarea");
    text.rows = 2;
    text.placeholder = "What is the right answer?";
    text.setAttribute("aria-label", "The right answer");
    const send = element("button", "", "Save correction");
    send.type = "submit";
    box.append(text, send);
    box.addEventListener("submit", (event) => {
      event.preventDefault();
      save("down", text.value.trim());
    });
    bar.replaceChildren(box);
    text.focus();
  });
  bar.append(up, down, said);
  reply.append(bar);
}

async function loadFeedback() {
  const entries = (await json("/feedback")).feedback;
  $("feedback-empty").hidden = entries.length > 0;
  $("feedback-list").replaceChildren(...[...entries].reverse().map(feedbackItem));
}

function feedbackItem(entry) {
  const item = element("li", `rated ${entry.rating}`);
  item.append(
    element("div", "question", entry.question),
    element(
      "div",
      "muted",
      `${entry.rating === "up" ? "✓ rated right" : "✗ rated wrong"}, ` +
        `${when(entry.at)} — answered: ${entry.answer}`,
    ),
  );
  const text = element("textarea");
  text.rows = 2;
  text.value = entry.correction;
  text.placeholder = "The right answer (a training example for the next night)";
  text.setAttribute("aria-label", "Correction");
  const saveButton = element("button", "use", "Save");
  saveButton.type = "button";
  saveButton.addEventListener("click", async () => {
    const rating = text.value.trim() ? "down" : entry.rating;
    await json(`/feedback/${entry.id}`, {
      method: "PUT",
      body: JSON.stringify({ rating, correction: text.value.trim() }),
    });
    loadFeedback();
  });
  const remove = element("button", "remove", "Delete");
  remove.type = "button";
  remove.addEventListener("click", async () => {
    if (!confirm("Delete this rating and its correction? The next training will not learn from it.")) return;
    await json(`/feedback/${entry.id}`, { method: "DELETE" });
    loadFeedback();
  });
  const actions = element("div", "actions");
  actions.append(saveButton, remove);
  item.append(text, actions);
  return item;
}

// ---- Wiring ----

for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => {
    window.history.replaceState(null, "", `#${tab.dataset.view}`);
    show(tab.dataset.view);
  });
}
for (const id of ["doc-filter", "doc-category", "doc-type"]) $(id).addEventListener("input", renderDocuments);
$("upload-category").addEventListener("change", () => {
  $("new-category").hidden = $("upload-category").value !== "\n";
});
$("file-input").addEventListener("change", () => {
  upload([...$("file-input").files].map((file) => ({ file, name: file.name })));
  $("file-input").value = "";
});
$("documents-view").addEventListener("dragover", (event) => {
  event.preventDefault();
  $("drop").classList.add("over");
});
$("documents-view").addEventListener("dragleave", () => $("drop").classList.remove("over"));
$("documents-view").addEventListener("drop", dropped);
$("train-now").addEventListener("click", trainNow);
$("chart-measure").addEventListener("change", () => modelsData && drawChart(modelsData));
$("rollback").addEventListener("click", () =>
  switchModel(
    `Roll back from ${$("rollback").dataset.live} to the ` +
      "version before it?\n\nAnswers come from the older version from the next question on; the newer one is kept " +
      "and can be used again.",
    "/models/rollback",
  ),
);
const VIEWS = ["chat", "documents", "models", "feedback"];
const fromHash = () => show(VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "chat");
window.addEventListener("hashchange", fromHash);
fromHash();
refreshStatus();
setInterval(refreshStatus, 10000);
setInterval(followTraining, 2000);
