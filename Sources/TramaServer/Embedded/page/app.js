// Trama's page: the ecosystem map for the lab's projector and the policymaker's desk.
// Plain JavaScript over the service's own API (/v1, the same JSON as the command
// line); nothing is fetched from anywhere else. The map is the SVG the service
// draws; its contract (actors `g.actor#a-ID`, relations `g.relation#r-ID`, legend
// `.legend`) is what the page binds to.
"use strict";

// ---------------------------------------------------------------- words
const WORDS = {
  en: {
    graph: "Graph", view: "View", "view.whole": "whole network", "view.territory": "a territory", "view.ego": "an actor's neighbourhood",
    "view.actors": "chosen actors", "view.community": "a community", radius: "radius", lab: "Lab mode", share: "Share", token: "Token",
    filters: "Filters", kinds: "Kinds", types: "Relation types", statuses: "Status", territory: "Territory", drawing: "Drawing",
    layout: "Layout", automatic: "automatic", colorBy: "Colour by", kind: "kind", kindField: "Kind", territoryWord: "territory", community: "community",
    sizeBy: "Size by", nothing: "nothing", undirected: "ties both ways", overlay: "show gaps on the map", asOf: "As of", apply: "Draw",
    mapHelp: "Wheel or pinch to zoom, drag to move, + − 0 and arrows on the keyboard; click an actor or a tie.", fit: "fit",
    "tab.details": "Details", "tab.gaps": "Gaps", "tab.coalitions": "Coalitions", "tab.table": "Table", "tab.edit": "Edit",
    pickActor: "Click an actor or a tie on the map.", theme: "Theme", require: "Needs (kind:count, …)", maxSize: "At most", search: "Search",
    addActor: "Add an actor", name: "Name", themes: "Themes", add: "Add", addRelation: "Add or update a tie", from: "From", to: "To",
    type: "Type", status: "Status", since: "Since", until: "Until", evidence: "Evidence", save: "Save", undo: "Undo the last change",
    focus: "Focus on its neighbourhood", relations: "Ties", metrics: "Measures", gapsNaming: "Gaps that name it",
    partners: "Suggested partners", none: "none", loading: "Drawing the map…", drawn: "{0} actors, {1} ties",
    description: "Description", description_: "description", territory_: "territory", themes_: "themes", kind_: "kind",
    degree: "degree", betweenness: "betweenness", constraint: "constraint", brokerage: "brokerage role",
    noGaps: "No gaps found here.", gapsFor: "Gaps of {0}", wholeGraph: "the whole graph", members: "members", cohesion: "cohesion",
    missing: "missing", completeWith: "could complete it", drawOnly: "Draw only these", noCoalitions: "No coalitions found.",
    actor: "Actor", value: "value", endTie: "End this tie", saved: "Saved.", tokenPrompt: "Paste a token (leave empty to read without one):",
    shareCopied: "Link copied: it opens this very view.", shareNoToken: "Link copied. It carries no token: the reader needs a viewer token of their own (or a server open for reading).",
    shareViewer: "Link copied, with your viewer token: whoever opens it can read, not change.", role: "Signed in as {0} of {1}.",
    anonymous: "Reading without a token.", strength: "strength", asserted: "asserted", relation: "Tie", roles: {},
    labTitle: "{0} · {1} · {2}", today: "today", undone: "Undone: {0}.", nothingToUndo: "Nothing to undo.",
    on: "Network on (a date, month or year)", compare: "Compare with", compareNone: "nothing", before: "Before", after: "After", both: "Both",
    "tab.changes": "Changes", snapshot: "Take a snapshot", snapshotPrompt: "Name this moment (for example lab-start):",
    snapshotTaken: "Snapshot {0} taken: compare with it from Drawing.", relayout: "Lay out again", noSnapshots: "no snapshot yet",
    changesFrom: "What changed since {0}", added: "added", removed: "removed", changed: "changed", noChanges: "Nothing changed.",
    whoMoved: "Who moved most", ties: "ties", between: "pairs it lies between", gapsOpened: "Gaps opened", gapsClosed: "Gaps closed",
    needsToken: "This map needs a token: ask whoever shared it for a viewer's link, or paste a token with the Token button.",
    incoming: "{0} {1} it", undirectedTie: "{0} {1}",
  },
  it: {
    graph: "Grafo", view: "Vista", "view.whole": "intera rete", "view.territory": "un territorio", "view.ego": "il vicinato di un attore",
    "view.actors": "attori scelti", "view.community": "una comunità", radius: "raggio", lab: "Modalità laboratorio", share: "Condividi",
    token: "Token", filters: "Filtri", kinds: "Tipi di attore", types: "Tipi di relazione", statuses: "Stato", territory: "Territorio",
    drawing: "Disegno", layout: "Impaginazione", automatic: "automatica", colorBy: "Colore per", kind: "tipo", kindField: "Tipo", territoryWord: "territorio",
    community: "comunità", sizeBy: "Dimensione per", nothing: "nulla", undirected: "legami in entrambi i sensi", overlay: "mostra le lacune sulla mappa",
    asOf: "Alla data", apply: "Disegna",
    mapHelp: "Rotella o pizzico per lo zoom, trascina per spostare, + − 0 e frecce da tastiera; clicca un attore o un legame.", fit: "adatta",
    "tab.details": "Dettagli", "tab.gaps": "Lacune", "tab.coalitions": "Coalizioni", "tab.table": "Tabella", "tab.edit": "Modifica",
    pickActor: "Clicca un attore o un legame sulla mappa.", theme: "Tema", require: "Servono (tipo:numero, …)", maxSize: "Al massimo", search: "Cerca",
    addActor: "Aggiungi un attore", name: "Nome", themes: "Temi", add: "Aggiungi", addRelation: "Aggiungi o aggiorna un legame", from: "Da", to: "A",
    type: "Tipo", status: "Stato", since: "Dal", until: "Al", evidence: "Fonte", save: "Salva", undo: "Annulla l'ultima modifica",
    focus: "Mostra il suo vicinato", relations: "Legami", metrics: "Misure", gapsNaming: "Lacune che lo riguardano",
    partners: "Partner suggeriti", none: "nessuno", loading: "Disegno la mappa…", drawn: "{0} attori, {1} legami",
    description: "Descrizione", description_: "descrizione", territory_: "territorio", themes_: "temi", kind_: "tipo",
    degree: "grado", betweenness: "intermediazione", constraint: "vincolo", brokerage: "ruolo di intermediazione",
    noGaps: "Nessuna lacuna trovata qui.", gapsFor: "Lacune di {0}", wholeGraph: "tutto il grafo", members: "membri", cohesion: "coesione",
    missing: "mancano", completeWith: "potrebbero completarla", drawOnly: "Disegna solo questi", noCoalitions: "Nessuna coalizione trovata.",
    actor: "Attore", value: "valore", endTie: "Concludi questo legame", saved: "Salvato.", tokenPrompt: "Incolla un token (vuoto per leggere senza):",
    shareCopied: "Link copiato: apre questa stessa vista.", shareNoToken: "Link copiato. Non contiene token: chi lo apre ha bisogno di un token di lettura (o di un server aperto in lettura).",
    shareViewer: "Link copiato, con il tuo token di lettura: chi lo apre può leggere, non modificare.", role: "Accesso come {0} di {1}.",
    anonymous: "Lettura senza token.", strength: "intensità", asserted: "rilevato", relation: "Legame", roles: {},
    labTitle: "{0} · {1} · {2}", today: "oggi", undone: "Annullato: {0}.", nothingToUndo: "Niente da annullare.",
    on: "Rete al (data, mese o anno)", compare: "Confronta con", compareNone: "nulla", before: "Prima", after: "Dopo", both: "Entrambi",
    "tab.changes": "Cambiamenti", snapshot: "Fissa un'istantanea", snapshotPrompt: "Dai un nome a questo momento (per esempio inizio-lab):",
    snapshotTaken: "Istantanea {0} fissata: confrontala da Disegno.", relayout: "Ridisponi", noSnapshots: "ancora nessuna istantanea",
    changesFrom: "Cosa è cambiato da {0}", added: "aggiunti", removed: "tolti", changed: "cambiati", noChanges: "Nessun cambiamento.",
    whoMoved: "Chi si è spostato di più", ties: "legami", between: "coppie che collega", gapsOpened: "Lacune aperte", gapsClosed: "Lacune chiuse",
    needsToken: "Questa mappa richiede un token: chiedi a chi l'ha condivisa un link di lettura, o incolla un token con il pulsante Token.",
    incoming: "{0} {1}", undirectedTie: "{0} {1}",
  },
};
const LAYOUT_NAMES = {
  en: { "": "automatic", sfdp: "organic, for large maps", neato: "balanced", fdp: "with territory boxes", dot: "in layers", circo: "in a circle", twopi: "around a centre" },
  it: { "": "automatica", sfdp: "organica, per mappe grandi", neato: "equilibrata", fdp: "con i riquadri dei territori", dot: "a strati", circo: "in cerchio", twopi: "intorno a un centro" },
};
const METRIC_NAMES = {
  en: { "": "nothing", degree: "ties (degree)", strength: "strength", betweenness: "brokerage between others (betweenness)", closeness: "closeness", pagerank: "PageRank", constraint: "constraint", core: "core" },
  it: { "": "nulla", degree: "legami (grado)", strength: "intensità", betweenness: "intermediazione", closeness: "vicinanza", pagerank: "PageRank", constraint: "vincolo", core: "nucleo" },
};
const SEVERITY_NAMES = { en: { high: "high", medium: "medium", low: "low" }, it: { high: "alta", medium: "media", low: "bassa" } };
const FINDING_NAMES = {
  en: { "missing-kind": "missing kind", "contract-only-administration": "administration by contract only", isolate: "isolated",
    pendant: "one tie only", "single-point-of-failure": "single point of failure", "theme-gap": "theme without partners",
    "silo-territory": "territory in a silo", "structural-hole": "structural hole", "stale-relation": "tie not confirmed lately",
    "fragmented-territory": "alliance split in pieces", opportunity: "tie not started yet", "lost-tie": "tie that ended" },
  it: { "missing-kind": "tipo mancante", "contract-only-administration": "amministrazione solo per contratto", isolate: "isolato",
    pendant: "un solo legame", "single-point-of-failure": "punto critico", "theme-gap": "tema senza partner",
    "silo-territory": "territorio isolato", "structural-hole": "buco strutturale", "stale-relation": "legame non confermato di recente",
    "fragmented-territory": "alleanza divisa in parti", opportunity: "legame non ancora avviato", "lost-tie": "legame concluso" },
};
const ROLE_WORDS = { en: { viewer: "reader", editor: "editor", admin: "administrator" }, it: { viewer: "lettore", editor: "redattore", admin: "amministratore" } };
const ROLE_NAMES = {
  en: { coordinator: "coordinator", itinerant: "itinerant", representative: "representative", gatekeeper: "gatekeeper", liaison: "liaison" },
  it: { coordinator: "coordinatore", itinerant: "itinerante", representative: "rappresentante", gatekeeper: "guardiano", liaison: "collegamento" },
};
const STATUS_NAMES = {
  en: { active: "active", planned: "planned", potential: "potential", ended: "ended" },
  it: { active: "attiva", planned: "prevista", potential: "potenziale", ended: "conclusa" },
};

// ---------------------------------------------------------------- state
const state = {
  graph: "", view: "whole", viewArg: "", radius: 1, kinds: [], types: [], statuses: [], territory: "", layout: "", colorBy: "kind",
  sizeBy: "", undirected: false, overlay: false, asOf: "", lang: "en", lab: false, on: "", compare: "", mode: "both",
};
let relayoutOnce = false;
let token = "";
let principal = null;
let vocabulary = null;
let svgElement = null;
let box = null;         // the map's own viewBox
let view = null;        // the viewBox shown
let mapRelations = [];  // the relations of the graph, for finding a relation's id by its ends and type
let actorNames = {};    // id → name of every actor this reader sees
const cache = new Map();

const $ = (id) => document.getElementById(id);
function t(key, ...args) {
  const text = (WORDS[state.lang] && WORDS[state.lang][key]) || WORDS.en[key] || key;
  return text.replace(/\{(\d)\}/g, (_, i) => args[Number(i)] ?? "");
}
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}
function say(text, ok = false) {
  const box = $("message");
  box.textContent = text;
  box.className = ok ? "ok" : "";
  box.hidden = !text;
}

// ---------------------------------------------------------------- the API
async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers.Authorization = "Bearer " + token;
  if (options.body && typeof options.body !== "string") {
    headers["Content-Type"] = "application/json";
    options = Object.assign({}, options, { body: JSON.stringify(options.body) });
  }
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return response;
}
async function json(path) {
  if (cache.has(path)) return cache.get(path);
  const value = await (await api(path)).json();
  cache.set(path, value);
  return value;
}
function graphPath(rest) { return "/v1/graphs/" + encodeURIComponent(state.graph) + rest; }
function readParameters(extra = {}) {
  const p = new URLSearchParams();
  if (state.asOf) p.set("as_of", state.asOf);
  if (state.on) p.set("on", state.on);
  for (const [k, v] of Object.entries(extra)) if (v !== "" && v != null) p.set(k, v);
  return p;
}
function filterParameters(p) {
  for (const kind of state.kinds) p.append("kind", kind);
  for (const type of state.types) p.append("type", type);
  for (const status of state.statuses) p.append("status", status);
  if (state.territory) p.set("territory", state.territory);
  if (state.undirected) p.set("undirected", "true");
  return p;
}

// ---------------------------------------------------------------- the link that reproduces the view
function viewText() {
  if (state.view === "whole") return "whole";
  if (state.view === "ego") return "ego:" + state.viewArg + ":" + state.radius;
  return state.view + ":" + state.viewArg;
}
function writeAddress() {
  const p = new URLSearchParams();
  p.set("graph", state.graph);
  p.set("view", viewText());
  filterParameters(p);
  if (state.layout) p.set("layout", state.layout);
  if (state.colorBy !== "kind") p.set("color_by", state.colorBy);
  if (state.sizeBy) p.set("size_by", state.sizeBy);
  if (state.overlay) p.set("overlay", "gaps");
  if (state.asOf) p.set("as_of", state.asOf);
  if (state.on) p.set("on", state.on);
  if (state.compare) { p.set("diff_from", state.compare); if (state.mode !== "both") p.set("mode", state.mode); }
  p.set("lang", state.lang);
  if (state.lab) p.set("lab", "true");
  const url = location.pathname + "?" + p.toString() + location.hash;
  history.replaceState(null, "", url);
  return p;
}
function readAddress() {
  const p = new URLSearchParams(location.search);
  state.graph = p.get("graph") || "";
  const v = (p.get("view") || "whole").split(":");
  state.view = ["whole", "territory", "ego", "actors", "community"].includes(v[0]) ? v[0] : "whole";
  if (state.view === "ego") {
    const last = v[v.length - 1];
    if (v.length > 2 && /^\d+$/.test(last)) { state.radius = Number(last); state.viewArg = v.slice(1, -1).join(":"); } else { state.viewArg = v.slice(1).join(":"); }
  } else { state.viewArg = v.slice(1).join(":"); }
  state.kinds = p.getAll("kind"); state.types = p.getAll("type"); state.statuses = p.getAll("status");
  state.territory = p.get("territory") || ""; state.layout = p.get("layout") || ""; state.colorBy = p.get("color_by") || "kind";
  state.sizeBy = p.get("size_by") || ""; state.undirected = p.get("undirected") === "true"; state.overlay = p.get("overlay") === "gaps";
  state.asOf = p.get("as_of") || ""; state.lab = p.get("lab") === "true"; state.on = p.get("on") || "";
  state.compare = p.get("diff_from") || ""; state.mode = ["before", "after"].includes(p.get("mode")) ? p.get("mode") : "both";
  const languages = navigator.languages || [navigator.language || "en"];
  state.lang = p.get("lang") || (languages.some((l) => l.toLowerCase().startsWith("it")) ? "it" : "en");
  if (p.get("token")) { token = p.get("token"); sessionStorage.setItem("trama.token", token); }
  else token = sessionStorage.getItem("trama.token") || "";
}

// ---------------------------------------------------------------- the words on the page
function translate() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const option of $("layoutChoice").options) option.textContent = LAYOUT_NAMES[state.lang][option.value] || option.value;
  for (const option of $("sizeBy").options) option.textContent = METRIC_NAMES[state.lang][option.value] || option.value;
  for (const option of document.querySelectorAll('#relationForm select[name="status"] option')) option.textContent = STATUS_NAMES[state.lang][option.value];
  $("lang").value = state.lang;
}

// ---------------------------------------------------------------- the controls
function syncControls() {
  $("graph").value = state.graph; $("view").value = state.view; $("viewArg").value = state.viewArg; $("radius").value = state.radius;
  $("viewArg").hidden = state.view === "whole"; $("radiusBox").hidden = state.view !== "ego";
  $("territory").value = state.territory; $("layoutChoice").value = state.layout; $("colorBy").value = state.colorBy;
  $("sizeBy").value = state.sizeBy; $("undirected").checked = state.undirected; $("overlay").checked = state.overlay; $("asOf").value = state.asOf;
  $("on").value = state.on; $("compare").value = state.compare;
  $("compareModes").hidden = !state.compare;
  for (const button of $("compareModes").querySelectorAll("button")) button.setAttribute("aria-pressed", String(button.dataset.mode === state.mode));
  $("tabs").querySelector('[data-tab="changes"]').hidden = !state.compare;
  for (const [id, list] of [["kinds", state.kinds], ["types", state.types], ["statuses", state.statuses]]) {
    for (const box of $(id).querySelectorAll("input")) box.checked = list.includes(box.value);
  }
}
function readControls() {
  state.graph = $("graph").value; state.view = $("view").value; state.viewArg = $("viewArg").value.trim();
  state.radius = Number($("radius").value) || 1; state.territory = $("territory").value.trim(); state.layout = $("layoutChoice").value;
  state.colorBy = $("colorBy").value; state.sizeBy = $("sizeBy").value; state.undirected = $("undirected").checked;
  state.overlay = $("overlay").checked; state.asOf = $("asOf").value.trim(); state.on = $("on").value.trim();
  state.compare = $("compare").value;
  state.kinds = [...$("kinds").querySelectorAll("input:checked")].map((b) => b.value);
  state.types = [...$("types").querySelectorAll("input:checked")].map((b) => b.value);
  state.statuses = [...$("statuses").querySelectorAll("input:checked")].map((b) => b.value);
}
function checks(id, values, labels) {
  const holder = $(id);
  holder.replaceChildren(...values.map((value) => element("label", {}, element("input", { type: "checkbox", value }), " " + (labels[value] || value))));
}
async function loadVocabulary() {
  vocabulary = await json(graphPath("/vocabulary"));
  const it = state.lang === "it";
  const kindLabels = Object.fromEntries(vocabulary.kinds.map((k) => [k.name, it ? k.label_it : k.label]));
  const typeLabels = Object.fromEntries(vocabulary.relation_types.map((r) => [r.name, it ? r.label_it : r.label]));
  checks("kinds", vocabulary.kinds.map((k) => k.name), kindLabels);
  checks("types", vocabulary.relation_types.map((r) => r.name), typeLabels);
  checks("statuses", ["active", "planned", "potential", "ended"], STATUS_NAMES[state.lang]);
  // The editing forms keep what was chosen when the vocabulary is read again (after a write, a new language).
  const chosenKind = $("kindChoice").value, chosenType = $("typeChoice").value;
  $("kindChoice").replaceChildren(...vocabulary.kinds.map((k) => element("option", { value: k.name, text: kindLabels[k.name] })));
  $("typeChoice").replaceChildren(...vocabulary.relation_types.map((r) => element("option", { value: r.name, text: typeLabels[r.name] })));
  if (chosenKind && vocabulary.kinds.some((k) => k.name === chosenKind)) $("kindChoice").value = chosenKind;
  if (chosenType && vocabulary.relation_types.some((r) => r.name === chosenType)) $("typeChoice").value = chosenType;
  const actors = (await json(graphPath("/actors?" + readParameters()))).actors;
  actorNames = Object.fromEntries(actors.map((a) => [a.id, a.name]));
  const territories = new Set();
  for (const a of actors) {
    if (!a.territory) continue;
    const parts = a.territory.split("/");
    for (let i = 1; i <= parts.length; i++) territories.add(parts.slice(0, i).join("/"));
  }
  $("territories").replaceChildren(...[...territories].sort().map((value) => element("option", { value })));
  $("actorChoices").replaceChildren(...actors.map((a) => element("option", { value: a.id, text: a.name })));
  updateViewChoices(actors);
  await loadSnapshots();
}
async function loadSnapshots() {
  let snapshots = [];
  try { snapshots = (await json(graphPath("/snapshots"))).snapshots; } catch (_) { /* none to read */ }
  const options = [element("option", { value: "", text: snapshots.length ? t("compareNone") : t("noSnapshots") })];
  for (const s of snapshots) options.push(element("option", { value: s.name, text: s.name + (s.note ? " · " + s.note : "") }));
  if (state.compare && !snapshots.some((s) => s.name === state.compare)) options.push(element("option", { value: state.compare, text: state.compare }));
  $("compare").replaceChildren(...options);
  $("compare").value = state.compare;
}
function updateViewChoices(actors) {
  const list = $("viewChoices");
  if (state.view === "territory") list.replaceChildren(...[...$("territories").options].map((o) => element("option", { value: o.value })));
  else if (state.view === "ego" || state.view === "actors") list.replaceChildren(...(actors || []).map((a) => element("option", { value: a.id, text: a.name })));
  else list.replaceChildren();
}

// ---------------------------------------------------------------- the map
function mapAddress(format = "svg") {
  const p = filterParameters(readParameters());
  p.set("view", viewText());
  if (state.layout) p.set("layout", state.layout);
  if (state.colorBy !== "kind") p.set("color_by", state.colorBy);
  if (state.sizeBy) p.set("size_by", state.sizeBy);
  if (state.overlay) p.set("overlay", "gaps");
  if (state.lab) p.set("lab", "true");
  if (state.compare) p.set("diff_from", state.compare);
  if (relayoutOnce) { p.set("relayout", "true"); relayoutOnce = false; }
  p.set("lang", state.lang);
  return graphPath("/map." + format + "?" + p.toString());
}
async function drawMap() {
  writeAddress();
  const holder = $("map");
  holder.classList.add("loading");
  say(t("loading"), true);
  try {
    const text = await (await api(mapAddress())).text();
    const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = document.importNode(parsed.documentElement, true);
    svg.removeAttribute("width"); svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    holder.replaceChildren(svg);
    svgElement = svg;
    const [x, y, w, h] = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    box = { x, y, w, h };
    if (state.compare) svg.classList.add(state.mode === "both" ? "both" : state.mode);
    fit();
    labLegend();
    const drawnText = t("drawn", svg.querySelectorAll("g.actor").length, svg.querySelectorAll("g.relation").length);
    say(drawnText, true);
    setTimeout(() => { if ($("message").textContent === drawnText) say(""); }, 2500);
    labTitle();
    if (!window.tramaReady) window.tramaReady = performance.now();
    window.tramaMapDrawn = (window.tramaMapDrawn || 0) + 1;
    refreshPanels();
  } catch (error) {
    say(error.message);
  } finally {
    holder.classList.remove("loading");
  }
}
/// In lab mode the legend stays on screen: the map's own legend is copied into a
/// corner at a readable size, whatever part of the map is zoomed into view.
function labLegend() {
  const corner = $("labLegend");
  corner.replaceChildren();
  if (!state.lab || !svgElement) return;
  const items = [...svgElement.querySelectorAll("g.legend")].filter((g) => !g.parentElement.closest("g.legend"));
  if (!items.length) return;
  const boxes = items.map((g) => g.getBBox()).filter((b) => b.width > 0 && b.height > 0);
  const x = Math.min(...boxes.map((b) => b.x)), y = Math.min(...boxes.map((b) => b.y));
  const w = Math.max(...boxes.map((b) => b.x + b.width)) - x, h = Math.max(...boxes.map((b) => b.y + b.height)) - y;
  corner.setAttribute("viewBox", [x - 4, y - 4, w + 8, h + 8].join(" "));
  corner.setAttribute("width", Math.round(w + 8));
  corner.setAttribute("height", Math.round(h + 8));
  corner.append(...items.map((g) => g.cloneNode(true)));
}
function labTitle() {
  // The map says what it shows (its <desc>: "…; whole network · 30/11/2026"); the title repeats it.
  const desc = svgElement && svgElement.querySelector("desc") ? svgElement.querySelector("desc").textContent : "";
  const what = desc.includes("; ") ? desc.slice(desc.indexOf("; ") + 2) : (state.territory || t("wholeGraph"));
  $("labTitle").textContent = state.graph + " · " + what;
}
/// Shows `view`. While the hand is moving (wheel, drag, pinch) the drawn map is only
/// moved and scaled by a CSS transform, which the browser composites without drawing
/// thousands of shapes again; a moment after the hand stops, the view is committed to
/// the viewBox and drawn sharp.
let committed = null, commitTimer = 0;
function applyView(live = false) {
  if (!svgElement) return;
  clearTimeout(commitTimer);
  if (live && committed) {
    const rect = $("map").getBoundingClientRect();
    const scale = Math.min(rect.width / committed.w, rect.height / committed.h);
    const k = committed.w / view.w;
    const ox = (rect.width - committed.w * scale) / 2, oy = (rect.height - committed.h * scale) / 2;
    const tx = ox * (1 - k) + k * scale * (committed.x - view.x), ty = oy * (1 - k) + k * scale * (committed.y - view.y);
    svgElement.style.transform = `translate(${tx.toFixed(1)}px, ${ty.toFixed(1)}px) scale(${k.toFixed(4)})`;
    commitTimer = setTimeout(() => applyView(false), 160);
    return;
  }
  svgElement.style.transform = "";
  svgElement.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map((n) => n.toFixed(2)).join(" "));
  committed = Object.assign({}, view);
}
/// The whole map in the window; in lab mode never smaller than labels of 14 pt.
function fit() {
  if (!box) return;
  view = Object.assign({}, box);
  if (state.lab && svgElement) {
    // The actors and ties alone (not the title or the legend, which lab mode shows apart), centred.
    const shapes = [...svgElement.querySelectorAll("g.actor, g.relation")].map((g) => g.getBoundingClientRect()).filter((r) => r.width > 0);
    if (shapes.length) {
      const a = toMap(Math.min(...shapes.map((r) => r.left)), Math.min(...shapes.map((r) => r.top)));
      const b = toMap(Math.max(...shapes.map((r) => r.right)), Math.max(...shapes.map((r) => r.bottom)));
      const holder = $("map").getBoundingClientRect();
      const margin = Math.max(b.x - a.x, b.y - a.y) * 0.04;
      let w = b.x - a.x + 2 * margin, h = b.y - a.y + 2 * margin;
      // The same shape as the screen, so the map fills it.
      if (w / h < holder.width / holder.height) w = h * holder.width / holder.height; else h = w * holder.height / holder.width;
      view = { x: (a.x + b.x - w) / 2, y: (a.y + b.y - h) / 2, w, h };
    }
    const rect = $("map").getBoundingClientRect();
    const scale = Math.min(rect.width / view.w, rect.height / view.h);
    const smallest = Math.min(...[...svgElement.querySelectorAll("g.actor text")].map((n) => Number(n.getAttribute("font-size")) || 20), 20);
    const needed = 18.7 / smallest;  // 14 pt = 18.7 px
    if (scale < needed) zoomAt(view.x + view.w / 2, view.y + view.h / 2, scale / needed, false);
  }
  applyView();
}
function toMap(clientX, clientY) {
  const rect = $("map").getBoundingClientRect();
  const scale = Math.min(rect.width / view.w, rect.height / view.h);
  const offsetX = (rect.width - view.w * scale) / 2, offsetY = (rect.height - view.h * scale) / 2;
  return { x: view.x + (clientX - rect.left - offsetX) / scale, y: view.y + (clientY - rect.top - offsetY) / scale, scale };
}
function zoomAt(x, y, factor, apply = true, live = false) {
  const w = Math.min(Math.max(view.w * factor, box.w / 40), box.w * 4);
  const f = w / view.w;
  view = { x: x - (x - view.x) * f, y: y - (y - view.y) * f, w: view.w * f, h: view.h * f };
  if (apply) applyView(live);
}
function pan(dx, dy, live = false) { view.x += dx; view.y += dy; applyView(live); }
function bindPanZoom() {
  const holder = $("map");
  const pointers = new Map();
  let moved = 0, lastDistance = 0;
  holder.addEventListener("wheel", (e) => {
    if (!svgElement) return;
    e.preventDefault();
    const p = toMap(e.clientX, e.clientY);
    zoomAt(p.x, p.y, Math.exp(e.deltaY * 0.0015), true, true);
  }, { passive: false });
  holder.addEventListener("pointerdown", (e) => {
    if (!svgElement) return;
    try { holder.setPointerCapture(e.pointerId); } catch (_) { /* a pointer the browser no longer tracks */ }
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    moved = 0;
    if (pointers.size === 2) { const [a, b] = [...pointers.values()]; lastDistance = Math.hypot(a.x - b.x, a.y - b.y); }
  });
  holder.addEventListener("pointermove", (e) => {
    if (!pointers.has(e.pointerId) || !svgElement) return;
    const last = pointers.get(e.pointerId);
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 1) {
      const scale = toMap(0, 0).scale;
      moved += Math.abs(e.clientX - last.x) + Math.abs(e.clientY - last.y);
      pan(-(e.clientX - last.x) / scale, -(e.clientY - last.y) / scale, true);
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const middle = toMap((a.x + b.x) / 2, (a.y + b.y) / 2);
      if (lastDistance > 0) zoomAt(middle.x, middle.y, lastDistance / distance, true, true);
      lastDistance = distance;
      moved += 10;
    }
  });
  const release = (e) => { pointers.delete(e.pointerId); if (pointers.size < 2) lastDistance = 0; };
  holder.addEventListener("pointerup", release);
  holder.addEventListener("pointercancel", release);
  holder.addEventListener("click", (e) => {
    const dragged = moved > 6;
    moved = 0;
    if (dragged || !svgElement) return;
    const actor = e.target.closest("g.actor");
    if (actor) return showActor(actor.id.slice(2));
    const relation = e.target.closest("g.relation");
    if (relation && relation.id.startsWith("r-")) return showRelation(relation.id.slice(2));
  });
  holder.addEventListener("keydown", (e) => {
    if (!svgElement) return;
    const step = view.w / 10;
    const keys = {
      "+": () => zoomAt(view.x + view.w / 2, view.y + view.h / 2, 0.8), "=": () => zoomAt(view.x + view.w / 2, view.y + view.h / 2, 0.8),
      "-": () => zoomAt(view.x + view.w / 2, view.y + view.h / 2, 1.25), "0": fit,
      ArrowLeft: () => pan(-step, 0), ArrowRight: () => pan(step, 0), ArrowUp: () => pan(0, -step), ArrowDown: () => pan(0, step),
    };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  $("zoomIn").onclick = () => zoomAt(view.x + view.w / 2, view.y + view.h / 2, 0.8);
  $("zoomOut").onclick = () => zoomAt(view.x + view.w / 2, view.y + view.h / 2, 1.25);
  $("zoomFit").onclick = fit;
}

// ---------------------------------------------------------------- highlights
function highlight(actorIDs, relationIDs = []) {
  if (!svgElement) return;
  for (const node of svgElement.querySelectorAll(".hl")) node.classList.remove("hl");
  let found = 0;
  for (const id of actorIDs) { const g = document.getElementById("a-" + id); if (g) { g.classList.add("hl"); found++; } }
  for (const id of relationIDs) { const g = document.getElementById("r-" + id); if (g) { g.classList.add("hl"); found++; } }
  svgElement.classList.toggle("dim", found > 0);
}
function pick(id) {
  if (!svgElement) return;
  for (const node of svgElement.querySelectorAll(".picked")) node.classList.remove("picked");
  const g = id && document.getElementById("a-" + id);
  if (g) g.classList.add("picked");
}
async function relationIDs(triples) {
  if (!mapRelations.length) mapRelations = (await json(graphPath("/relations?" + readParameters()))).relations;
  const ids = [];
  for (const [from, to, type] of triples) {
    const found = mapRelations.find((r) => r.type === type && ((r.from === from && r.to === to) || (r.from === to && r.to === from)));
    if (found) ids.push(found.id);
  }
  return ids;
}

// ---------------------------------------------------------------- the side panel
function openTab(name) {
  for (const button of document.querySelectorAll("#tabs button")) button.setAttribute("aria-selected", String(button.dataset.tab === name));
  for (const section of document.querySelectorAll("#panel section")) section.hidden = section.id !== "tab-" + name;
  if (name === "gaps") showGaps();
  if (name === "table") showTable();
  if (name === "changes") showChanges();
}
function refreshPanels() {
  const open = document.querySelector('#tabs button[aria-selected="true"]');
  if (open && ["gaps", "table", "changes"].includes(open.dataset.tab)) openTab(open.dataset.tab);
}
function dl(pairs) {
  return element("dl", {}, ...pairs.filter(([, v]) => v != null && v !== "" && !(Array.isArray(v) && !v.length))
    .flatMap(([k, v]) => [element("dt", { text: k }), element("dd", { text: Array.isArray(v) ? v.join(", ") : String(v) })]));
}
function number(v) {
  if (v == null) return "–";
  return v.toLocaleString(state.lang === "it" ? "it-IT" : "en-GB", { maximumFractionDigits: Number.isInteger(v) ? 0 : 3 });
}
async function showActor(id) {
  openTab("details");
  pick(id);
  const section = $("tab-details");
  section.replaceChildren(element("p", { class: "help", text: "…" }));
  try {
    const detail = await json(graphPath("/actors/" + encodeURIComponent(id) + "?" + readParameters()));
    const a = detail.actor;
    const kinds = Object.fromEntries((vocabulary ? vocabulary.kinds : []).map((k) => [k.name, state.lang === "it" ? k.label_it : k.label]));
    const types = Object.fromEntries((vocabulary ? vocabulary.relation_types : []).map((r) => [r.name, state.lang === "it" ? r.label_it : r.label]));
    section.replaceChildren(
      element("h2", { text: a.name }),
      dl([[t("kind_"), kinds[a.kind] || a.kind], [t("territory_"), a.territory], [t("themes_"), a.themes], [t("description_"), a.description]]),
      element("button", { type: "button", text: t("focus"), onclick: () => { state.view = "ego"; state.viewArg = id; syncControls(); drawMap(); } }),
      element("h3", { text: t("relations") }),
      ...detail.relations.map((r) => {
        const other = r.from === id ? r.to : r.from;
        const name = detail.names[other] || other;
        const definition = vocabulary ? vocabulary.relation_types.find((v) => v.name === r.type) : null;
        const label = types[r.type] || r.type;
        // Read as a sentence: "→ partners with X" when it acts, "← X mentors" when another acts on it, "↔" when the type has no direction.
        const words = definition && !definition.directed ? "↔ " + label + " " + name : r.from === id ? "→ " + label + " " + name : "← " + name + " " + label;
        const line = element("div", { class: "tie", tabindex: "0" },
          words + " · " + (STATUS_NAMES[state.lang][r.status] || r.status)
          + (r.since ? " · " + r.since + (r.until ? "–" + r.until : "") : "") + (r.evidence ? " · " + r.evidence : ""));
        line.onclick = () => showRelation(String(r.id));
        line.onkeydown = (e) => { if (e.key === "Enter") showRelation(String(r.id)); };
        return line;
      }),
      element("h3", { text: t("metrics") }),
      element("div", { id: "actorMetrics", text: "…" }),
      element("h3", { text: t("gapsNaming") }),
      element("div", { id: "actorGaps", text: "…" }),
      element("h3", { text: t("partners") }),
      element("div", { id: "actorPartners", text: "…" }),
    );
    actorMetrics(id);
    actorGaps(id);
    actorPartners(id);
  } catch (error) {
    section.replaceChildren(element("p", { text: error.message }));
  }
}
async function actorMetrics(id) {
  const p = filterParameters(readParameters());
  const values = {};
  for (const metric of ["degree", "betweenness", "constraint"]) {
    try {
      const result = await json(graphPath("/analyses/" + metric + "?" + p));
      const entry = result.values.find((v) => v.id === id);
      values[t(metric)] = entry ? number(entry.value) : "–";
    } catch (_) { values[t(metric)] = "–"; }
  }
  try {
    const result = await json(graphPath("/analyses/brokerage?" + p));
    const entry = result.values.find((v) => v.id === id);
    if (entry) {
      values[t("brokerage")] = entry.role ? ROLE_NAMES[state.lang][entry.role] + " (" + entry.roles[entry.role] + ")" : t("none");
    }
  } catch (_) { /* no brokerage */ }
  const holder = $("actorMetrics");
  if (holder) holder.replaceChildren(dl(Object.entries(values)));
}
async function actorGaps(id) {
  try {
    const gaps = await json(graphPath("/gaps?" + readParameters({ lang: state.lang })));
    const mine = gaps.findings.filter((f) => f.subject.actors.includes(id));
    const holder = $("actorGaps");
    if (holder) holder.replaceChildren(...(mine.length ? mine.map(findingElement) : [element("p", { class: "help", text: t("none") })]));
  } catch (error) { const holder = $("actorGaps"); if (holder) holder.textContent = error.message; }
}
async function actorPartners(id) {
  try {
    const result = await json(graphPath("/recommendations/" + encodeURIComponent(id) + "?" + readParameters({ top: 5, lang: state.lang })));
    const holder = $("actorPartners");
    if (!holder) return;
    holder.replaceChildren(...(result.candidates.length ? result.candidates.map((c) => element("div", { class: "tie" },
      element("strong", { text: c.name }), " (" + c.score.toFixed(2) + ")", element("div", { class: "reasons", text: c.reasons.join("; ") })))
      : [element("p", { class: "help", text: t("none") })]));
  } catch (error) { const holder = $("actorPartners"); if (holder) holder.textContent = error.message; }
}
async function showRelation(id) {
  openTab("details");
  const section = $("tab-details");
  try {
    const r = await json(graphPath("/relations/" + id + "?" + readParameters()));
    highlight([r.from, r.to], [r.id]);
    const types = Object.fromEntries((vocabulary ? vocabulary.relation_types : []).map((v) => [v.name, state.lang === "it" ? v.label_it : v.label]));
    const from = actorNames[r.from] || r.from, to = actorNames[r.to] || r.to;
    const fields = [[t("from"), from], [t("to"), to], [t("type"), types[r.type] || r.type], [t("status"), STATUS_NAMES[state.lang][r.status] || r.status],
      [t("since"), r.since], [t("until"), r.until], [t("strength"), r.strength], [t("evidence"), r.evidence], [t("description_"), r.description],
      [t("asserted"), [r.asserted_by, r.asserted_in, r.asserted_at].filter(Boolean).join(", ")]];
    section.replaceChildren(element("h2", { text: t("relation") + ": " + from + " → " + to }), dl(fields));
    if (canEdit()) {
      section.append(element("button", { type: "button", text: t("endTie"), onclick: async () => {
        try {
          await api(graphPath("/relations/" + r.id), { method: "PATCH", body: { status: "ended", until: new Date().toISOString().slice(0, 10) } });
          written();
          showRelation(String(r.id));
        } catch (error) { say(error.message); }
      } }));
    }
  } catch (error) { section.replaceChildren(element("p", { text: error.message })); }
}
function findingElement(f) {
  const node = element("div", { class: "finding " + f.severity, tabindex: "0" },
    element("div", { class: "severity", text: (SEVERITY_NAMES[state.lang][f.severity] || f.severity) + " · " + (FINDING_NAMES[state.lang][f.code] || f.code) + (f.subject.territory ? " · " + f.subject.territory : "") }),
    element("div", { text: f.reason }), element("div", { class: "action", text: "→ " + f.action }));
  const show = async () => highlight(f.subject.actors, await relationIDs(f.subject.relations));
  node.onclick = show;
  node.onkeydown = (e) => { if (e.key === "Enter") show(); };
  return node;
}
async function showGaps() {
  const section = $("tab-gaps");
  const territory = state.view === "territory" ? state.viewArg : state.territory;
  section.replaceChildren(element("h2", { text: t("gapsFor", territory || t("wholeGraph")) }), element("p", { class: "help", text: "…" }));
  try {
    const gaps = await json(graphPath("/gaps?" + readParameters({ territory, lang: state.lang })));
    section.replaceChildren(section.firstChild,
      ...(gaps.findings.length ? gaps.findings.map(findingElement) : [element("p", { text: t("noGaps") })]));
  } catch (error) { section.replaceChildren(section.firstChild, element("p", { text: error.message })); }
}
async function searchCoalitions(e) {
  e.preventDefault();
  const form = new FormData($("coalitionForm"));
  const p = readParameters({ territory: form.get("territory"), theme: form.get("theme"), max_size: form.get("max_size"), lang: state.lang });
  for (const requirement of String(form.get("require") || "").split(",").map((s) => s.trim()).filter(Boolean)) p.append("require", requirement);
  const list = $("coalitionList");
  list.replaceChildren(element("p", { class: "help", text: "…" }));
  try {
    const result = await json(graphPath("/coalitions?" + p));
    // Groups left out, each with why.
    const leftOut = (result.left_out || []).map((g) =>
      element("p", { class: "help", text: g.members.map((m) => result.names[m] || m).join(", ") + ": " + g.reason }));
    if (!result.coalitions.length) { list.replaceChildren(element("p", { text: t("noCoalitions") }), ...leftOut); return; }
    list.replaceChildren(...result.coalitions.map((c, i) => {
      const node = element("div", { class: "finding low", tabindex: "0" },
        element("div", { class: "severity", text: "#" + (i + 1) + " · " + t("cohesion") + " " + c.cohesion.toFixed(2) }),
        element("div", { text: t("members") + ": " + c.members.map((m) => result.names[m] || m).join(", ") }),
        c.missing.length ? element("div", { class: "action", text: t("missing") + ": " + c.missing.join("; ") }) : null,
        c.complete_with.length ? element("div", { class: "action", text: t("completeWith") + ": " + c.complete_with.map((m) => result.names[m] || m).join(", ") }) : null,
        ...(c.notes || []).map((note) => element("div", { class: "help", text: note })),
        element("button", { type: "button", text: t("drawOnly"), onclick: (event) => {
          event.stopPropagation();
          state.view = "actors"; state.viewArg = c.members.concat(c.complete_with).join(","); syncControls(); drawMap();
        } }));
      node.onclick = () => highlight(c.members.concat(c.complete_with));
      return node;
    }), ...leftOut);
  } catch (error) { list.replaceChildren(element("p", { text: error.message })); }
}
/// The map as a table: every actor drawn, with its kind, territory and the measure in view.
async function showTable() {
  const section = $("tab-table");
  const metric = state.sizeBy || "degree";
  const drawn = svgElement ? new Set([...svgElement.querySelectorAll("g.actor")].map((g) => g.id.slice(2))) : new Set();
  try {
    const result = await json(graphPath("/analyses/" + metric + "?" + filterParameters(readParameters())));
    const kinds = Object.fromEntries((vocabulary ? vocabulary.kinds : []).map((k) => [k.name, state.lang === "it" ? k.label_it : k.label]));
    const rows = result.values.filter((v) => drawn.has(v.id)).map((v) => {
      const row = element("tr", { tabindex: "0" }, element("td", { text: v.name }), element("td", { text: kinds[v.kind] || v.kind }),
        element("td", { text: v.territory || "" }), element("td", { text: number(v.value) }));
      row.onclick = () => showActor(v.id);
      row.onkeydown = (e) => { if (e.key === "Enter") showActor(v.id); };
      return row;
    });
    section.replaceChildren(element("table", {},
      element("caption", { text: t("drawn", drawn.size, svgElement ? svgElement.querySelectorAll("g.relation").length : 0) }),
      element("thead", {}, element("tr", {}, ...[t("actor"), t("kind_"), t("territory_"), t(metric)].map((h) => element("th", { scope: "col", text: h })))),
      element("tbody", {}, ...rows)));
  } catch (error) { section.replaceChildren(element("p", { text: error.message })); }
}

// ---------------------------------------------------------------- editing
function canEdit() { return principal && (principal.role === "editor" || principal.role === "admin"); }
async function loadPrincipal() {
  principal = null;
  if (token) {
    try { principal = await (await api("/v1/token")).json(); } catch (error) { say(error.message); }
  }
  $("tabs").querySelector('[data-tab="edit"]').hidden = !canEdit();
  $("undoButton").hidden = !canEdit();
  $("snapshotButton").hidden = !canEdit();
}
function written() {
  cache.clear();
  mapRelations = [];
  say(t("saved"), true);
  loadVocabulary().then(drawMap);
}
async function addActor(e) {
  e.preventDefault();
  const form = new FormData($("actorForm"));
  const themes = String(form.get("themes") || "").split(",").map((s) => s.trim()).filter(Boolean);
  try {
    await api(graphPath("/actors"), { method: "POST", body: { name: form.get("name"), kind: form.get("kind"), territory: form.get("territory") || undefined, themes } });
    $("actorForm").reset();
    formError("actorForm", "");
    written();
  } catch (error) { formError("actorForm", error.message); }
}
/// An error shown under the form it concerns (and read out), not only at the top.
function formError(id, text) {
  const form = $(id);
  let note = form.querySelector(".formError");
  if (!note) { note = element("p", { class: "formError", role: "alert" }); form.append(note); }
  note.textContent = text;
  note.hidden = !text;
}
async function saveRelation(e) {
  e.preventDefault();
  const form = new FormData($("relationForm"));
  const fields = { status: form.get("status") };
  for (const name of ["since", "until", "evidence"]) if (form.get(name)) fields[name] = form.get(name);
  try {
    const existing = (await relationIDs([[form.get("from"), form.get("to"), form.get("type")]]))[0];
    if (existing) await api(graphPath("/relations/" + existing), { method: "PATCH", body: fields });
    else await api(graphPath("/relations"), { method: "POST", body: Object.assign({ from: form.get("from"), to: form.get("to"), type: form.get("type") }, fields) });
    formError("relationForm", "");
    written();
  } catch (error) { formError("relationForm", error.message); }
}
async function undo() {
  try {
    const result = await (await api(graphPath("/undo"), { method: "POST", body: {} })).json();
    cache.clear();
    mapRelations = [];
    await loadVocabulary();
    await drawMap();
    say(t("undone", result.undone ? result.undone.map((c) => c.summary).join("; ") : ""), true);
  } catch (error) { say(error.status === 404 ? t("nothingToUndo") : error.message); }
}

async function takeSnapshot() {
  const name = prompt(t("snapshotPrompt"), "");
  if (!name) return;
  try {
    await api(graphPath("/snapshots"), { method: "POST", body: { name: name.trim() } });
    cache.clear();
    await loadSnapshots();
    say(t("snapshotTaken", name.trim()), true);
  } catch (error) { say(error.message); }
}
/// What changed since the moment compared with: actors and ties, who moved, gaps opened and closed.
async function showChanges() {
  const section = $("tab-changes");
  if (!state.compare) { section.replaceChildren(); return; }
  section.replaceChildren(element("h2", { text: t("changesFrom", state.compare) }), element("p", { class: "help", text: "…" }));
  const p = new URLSearchParams({ from: state.compare, lang: state.lang });
  if (state.asOf) p.set("to", state.asOf);
  try {
    const diff = await json(graphPath("/diff?" + p));
    const parts = [section.firstChild];
    const name = (id) => diff.names[id] || actorNames[id] || id;
    const types = Object.fromEntries((vocabulary ? vocabulary.relation_types : []).map((v) => [v.name, state.lang === "it" ? v.label_it : v.label]));
    const field = (f) => f.field + ": " + (f.old ?? "∅") + " → " + (f.new ?? "∅");
    let any = false;
    for (const action of ["added", "removed", "changed"]) {
      const actors = diff.actors[action], relations = diff.relations[action];
      if (!actors.length && !relations.length) continue;
      any = true;
      parts.push(element("h3", { text: t(action) + " (" + (actors.length + relations.length) + ")" }));
      for (const a of actors) {
        const node = element("div", { class: "tie " + action, tabindex: "0" }, a.name + (a.fields.length ? " · " + a.fields.map(field).join("; ") : ""));
        node.onclick = () => highlight([a.id]);
        parts.push(node);
      }
      for (const r of relations) {
        const node = element("div", { class: "tie " + action, tabindex: "0" },
          name(r.from) + " — " + (types[r.type] || r.type) + " — " + name(r.to) + (r.fields.length ? " · " + r.fields.map(field).join("; ") : ""));
        node.onclick = () => highlight([r.from, r.to], [r.id]);
        parts.push(node);
      }
    }
    if (!any) parts.push(element("p", { text: t("noChanges") }));
    if (diff.metrics && diff.metrics.length) {
      parts.push(element("h3", { text: t("whoMoved") }));
      for (const m of diff.metrics) {
        const shift = (s) => (s.old == null ? "–" : number(s.old)) + " → " + (s.new == null ? "–" : number(s.new));
        parts.push(element("div", { class: "tie" }, element("strong", { text: m.name }),
          element("div", { class: "reasons", text: t("ties") + " " + shift(m.degree) + " · " + t("between") + " " + shift(m.betweenness)
            + (m.role.old !== m.role.new ? " · " + (ROLE_NAMES[state.lang][m.role.old] || m.role.old || "–") + " → " + (ROLE_NAMES[state.lang][m.role.new] || m.role.new || "–") : "") })));
      }
    }
    if (diff.gaps) {
      for (const [key, list] of [["gapsOpened", diff.gaps.opened], ["gapsClosed", diff.gaps.closed]]) {
        if (!list.length) continue;
        parts.push(element("h3", { text: t(key) + " (" + list.length + ")" }), ...list.map(findingElement));
      }
    }
    section.replaceChildren(...parts);
  } catch (error) { section.replaceChildren(section.firstChild, element("p", { text: error.message })); }
}
function setMode(mode) {
  state.mode = mode;
  if (svgElement) { svgElement.classList.remove("before", "after", "both"); svgElement.classList.add(mode); }
  for (const button of $("compareModes").querySelectorAll("button")) button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
  writeAddress();
}

// ---------------------------------------------------------------- lab mode and sharing
async function toggleLab() {
  state.lab = !state.lab;
  document.body.classList.toggle("lab", state.lab);
  try {
    if (state.lab && !document.fullscreenElement && document.documentElement.requestFullscreen) await document.documentElement.requestFullscreen();
    if (!state.lab && document.fullscreenElement) await document.exitFullscreen();
  } catch (_) { /* full screen refused: the page still fills the window */ }
  drawMap();
}
async function share() {
  const p = writeAddress();
  let note = t("shareNoToken");
  if (principal && principal.role === "viewer") { p.set("token", token); note = t("shareViewer"); }
  else if (!token) note = t("shareCopied");
  const link = location.origin + location.pathname + "?" + p.toString();
  try { await navigator.clipboard.writeText(link); } catch (_) { /* no clipboard: the link is shown */ }
  window.tramaSharedLink = link;
  say(note + " " + link, true);
}
async function askToken() {
  const given = prompt(t("tokenPrompt"), "");
  if (given === null) return;
  token = given.trim();
  if (token) sessionStorage.setItem("trama.token", token); else sessionStorage.removeItem("trama.token");
  cache.clear();
  await start();
}

// ---------------------------------------------------------------- start
async function start() {
  translate();
  await loadPrincipal();
  try {
    const graphs = (await json("/v1/graphs")).graphs;
    $("graph").replaceChildren(...graphs.map((g) => element("option", { value: g.name, text: g.name + " (" + g.actors + ")" })));
    if (!state.graph || !graphs.some((g) => g.name === state.graph)) state.graph = graphs.length ? graphs[0].name : "";
  } catch (error) {
    say(error.status === 401 ? t("needsToken") : error.message);
    return;
  }
  if (!state.graph) return;
  await loadVocabulary();
  syncControls();
  document.body.classList.toggle("lab", state.lab);
  say(principal ? t("role", ROLE_WORDS[state.lang][principal.role] || principal.role, principal.graph === "*" ? "*" : principal.graph) : t("anonymous"), true);
  await drawMap();
}
function bind() {
  bindPanZoom();
  const apply = () => { readControls(); cache.clear(); mapRelations = []; syncControls(); drawMap(); };
  $("apply").onclick = apply;
  // Every choice draws the map at once; typed fields when they are left or Enter is pressed.
  $("controls").addEventListener("change", apply);
  // (the change reaches #controls after this, which draws the comparison)
  $("compare").addEventListener("change", () => setTimeout(() => { if (state.compare) openTab("changes"); }, 0));
  for (const button of $("compareModes").querySelectorAll("button")) button.onclick = () => setMode(button.dataset.mode);
  $("relayoutButton").onclick = () => { relayoutOnce = true; drawMap(); };
  $("snapshotButton").onclick = takeSnapshot;
  $("graph").onchange = async () => { readControls(); state.view = "whole"; state.viewArg = ""; cache.clear(); mapRelations = []; await loadVocabulary(); syncControls(); drawMap(); };
  $("view").onchange = () => { readControls(); syncControls(); json(graphPath("/actors?" + readParameters())).then((r) => updateViewChoices(r.actors)); if (state.view === "whole") drawMap(); };
  $("viewArg").onchange = () => { readControls(); if (state.viewArg) drawMap(); };
  $("radius").onchange = () => { readControls(); if (state.viewArg) drawMap(); };
  $("lang").onchange = async () => { state.lang = $("lang").value; cache.clear(); translate(); await loadVocabulary(); syncControls(); drawMap(); };
  $("labButton").onclick = toggleLab;
  $("shareButton").onclick = share;
  $("tokenButton").onclick = askToken;
  for (const button of document.querySelectorAll("#tabs button")) button.onclick = () => openTab(button.dataset.tab);
  $("coalitionForm").onsubmit = searchCoalitions;
  $("actorForm").onsubmit = addActor;
  $("relationForm").onsubmit = saveRelation;
  $("undoButton").onclick = undo;
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea")) return;
    if (e.key === "l" || e.key === "L") toggleLab();
    if (e.key === "Escape" && state.lab) toggleLab();
  });
  window.addEventListener("resize", () => { if (state.lab) fit(); });
}

readAddress();
bind();
openTab("details");
start();
