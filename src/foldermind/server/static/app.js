// The chat page: plain DOM, no build step. Every text from the server is inserted with textContent,
// so a note containing <script> is shown, never run.
"use strict";

const history = [];
const $ = (id) => document.getElementById(id);
let apiKey = localStorage.getItem("foldermind-api-key") || "";

// JSON bodies are sent as JSON; a file (a Blob) as its bytes.
function headers(body) {
  const h = { "Content-Type": body instanceof Blob ? "application/octet-stream" : "application/json" };
  if (apiKey) h.Authorization = "Bearer " + apiKey;
  return h;
}

// On a 401 the key is asked for once, however many requests were refused at the same moment (the others
// retry with the key given); kept in this origin's storage. Cancelling the question gives up.
async function api(path, options = {}) {
  const sent = apiKey;
  const response = await fetch(path, { ...options, headers: headers(options.body) });
  if (response.status !== 401) return response;
  if (apiKey === sent) {
    const given = prompt("This foldermind server needs its API key:");
    if (given === null) return response;
    apiKey = given;
    localStorage.setItem("foldermind-api-key", apiKey);
  }
  return api(path, options);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Render answer text with [n] turned into links to the cited source.
function renderAnswer(node, text, sources) {
  node.replaceChildren();
  const byNumber = new Map(sources.map((s) => [s.number, s]));
  let last = 0;
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    node.append(document.createTextNode(text.slice(last, match.index)));
    const source = byNumber.get(Number(match[1]));
    if (source) {
      const link = element("a", "cite", match[0]);
      link.href = "#";
      link.addEventListener("click", (event) => { event.preventDefault(); openSource(source); });
      node.append(link);
    } else {
      node.append(document.createTextNode(match[0]));
    }
    last = match.index + match[0].length;
  }
  node.append(document.createTextNode(text.slice(last)));
}

function renderSources(node, sources) {
  if (!sources.length) return;
  const list = element("ol", "sources");
  for (const source of sources) {
    const item = element("li", source.cited ? "cited" : "uncited");
    item.value = source.number;
    const link = element("a", "source-link", source.title);
    link.href = "#";
    link.addEventListener("click", (event) => { event.preventDefault(); openSource(source); });
    item.append(link, document.createTextNode(` — ${source.path}${source.location ? " · " + source.location : ""}`));
    list.append(item);
  }
  node.append(list);
}

// The evidence: the exact lines the answer was drawn from, each opening its document at those lines.
function renderEvidence(node, evidence) {
  if (!evidence.length) return;
  const box = element("div", "evidence");
  box.append(element("div", "evidence-label", "Evidence"));
  for (const item of evidence) {
    const quote = element("blockquote", item.cited ? "cited" : "uncited", item.text);
    const link = element("a", "evidence-link", `[${item.source}] ${item.title} — ${item.path}`);
    link.href = "#";
    link.addEventListener("click", (event) => { event.preventDefault(); openSource(item, item); });
    const where = element("span", "muted", item.location ? ` · ${item.location}` : "");
    const line = element("div");
    line.append(link, where);
    box.append(quote, line);
  }
  node.append(box);
}

// A chunk's shown text (overlap removed), with the part inside [start, end) of the document marked.
function chunkText(block, chunk, range) {
  const shownStart = chunk.start + chunk.overlap;
  const text = chunk.text.slice(chunk.overlap);
  const from = range ? Math.max(0, range.start - shownStart) : 0;
  const to = range ? Math.min(text.length, range.end - shownStart) : 0;
  if (!range || from >= to) {
    block.append(document.createTextNode(text));
    return null;
  }
  const mark = element("mark", "evidence-mark", text.slice(from, to));
  block.append(document.createTextNode(text.slice(0, from)), mark, document.createTextNode(text.slice(to)));
  return mark;
}

async function openSource(source, evidence) {
  const response = await api(`/documents/${source.document_id}`);
  const doc = await response.json();
  $("viewer-title").textContent = doc.title;
  $("viewer-path").textContent = doc.path + (evidence && evidence.location ? ` · ${evidence.location}` : "");
  const body = $("viewer-body");
  body.replaceChildren();
  let cited = null;
  for (const chunk of doc.chunks) {
    const where = chunk.page ? `page ${chunk.page}${chunk.heading ? ` (${chunk.heading})` : ""}` : chunk.heading;
    const block = element("div", "chunk" + (!evidence && chunk.chunk_id === source.chunk_id ? " cited" : ""));
    if (where) block.append(element("div", "chunk-where", where));
    const mark = chunkText(block, chunk, evidence);
    body.append(block);
    if (!cited && (mark || (!evidence && chunk.chunk_id === source.chunk_id))) cited = mark || block;
  }
  $("viewer").hidden = false;
  if (cited) cited.scrollIntoView({ block: "center" });
  if (RECORDINGS.has(doc.file_type)) await playFrom(doc, evidence && evidence.location);
}

// A recording's evidence is a time range ("00:01:12-00:01:40"): the page plays the recording from its start.
const RECORDINGS = new Set(["wav", "mp3", "m4a", "ogg", "oga", "flac", "opus", "webm"]);

async function playFrom(doc, location) {
  const response = await api(`/documents/${doc.id}/file`);  // fetched, not linked: it carries the API key
  if (!response.ok) return;
  const player = element("audio");
  player.controls = true;
  player.src = URL.createObjectURL(await response.blob());
  $("viewer-body").prepend(player);
  const time = /^(\d+):(\d\d):(\d\d)-/.exec(location || "");
  if (time) {
    player.currentTime = Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]);
    player.play().catch(() => {});  // a browser may refuse to start sound on its own; the controls remain
  }
}

async function ask(question) {
  history.push({ role: "user", content: question });
  $("messages").append(element("div", "msg user", question));
  const reply = element("div", "msg assistant");
  const text = element("div", "answer-text", "…");
  reply.append(text);
  $("messages").append(reply);
  $("send").disabled = true;
  let answer = "";
  let sources = [];
  let evidence = [];
  try {
    const response = await api("/v1/chat/completions", {
      method: "POST",
      body: JSON.stringify({ model: "foldermind", messages: history, stream: true }),
    });
    if (!response.ok) {
      const problem = await response.json();
      throw new Error(problem.error ? problem.error.message : response.statusText);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, cut).replace(/^data: /, "");
        buffer = buffer.slice(cut + 2);
        if (event === "[DONE]") continue;
        const data = JSON.parse(event);
        const delta = data.choices.length ? data.choices[0].delta : {};
        if (delta.content) answer += delta.content;
        if (data.sources) sources = data.sources;
        if (data.evidence) evidence = data.evidence;
        renderAnswer(text, answer, sources);
      }
    }
    renderEvidence(reply, evidence);
    renderSources(reply, sources);
    renderRating(reply, { question, answer, evidence, sources });
    history.push({ role: "assistant", content: answer });
  } catch (error) {
    reply.classList.add("error");
    text.textContent = "Error: " + error.message;
    history.pop();
  } finally {
    $("send").disabled = false;
    reply.scrollIntoView({ block: "end" });
  }
}

$("ask").addEventListener("submit", (event) => {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  $("question").value = "";
  ask(question);
});
$("question").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("ask").requestSubmit();
  }
});
$("viewer-close").addEventListener("click", () => { $("viewer").hidden = true; });
