// The front end of autograder/learner/explorer.py: native, labelled controls; one figure <img> with alt
// text; at most one redraw in flight, so a hand on the slider never builds a queue in the kernel.

const REQUEST_TIMEOUT_MS = 5000; // a lost answer (kernel restarted) must not freeze the controls

function text(control, position) {
  // The words a control's position is read as: "1.55", "order 3", "h = 1e-5".
  if (control.kind === "steps") return control.labels[position];
  if (control.kind === "choice") return position;
  const value = Number(position).toFixed(control.decimals);
  return control.unit ? `${value} ${control.unit}` : value;
}

function positionOf(control, value) {
  // A slider's input runs over whole steps (0, 1, 2 …), so no float noise reaches the page.
  return Math.round((value - control.low) / control.step);
}

function valueAt(control, position) {
  return Number((control.low + position * control.step).toFixed(control.decimals));
}

function pngDataUrl(bytes) {
  // A data URL, not a blob URL: Chromium decodes it in the page, where a blob is fetched through
  // the browser process first (measured: 14 ms from bytes to the frame painted, against 19 ms).
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.toBase64) return `data:image/png;base64,${view.toBase64()}`;
  let binary = "";
  for (let start = 0; start < view.length; start += 0x8000) { // apply() takes a bounded argument list
    binary += String.fromCharCode.apply(null, view.subarray(start, start + 0x8000));
  }
  return `data:image/png;base64,${btoa(binary)}`;
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "course-explorer";
  root.setAttribute("role", "group");
  // Arrow keys move the focused control, not JupyterLab's cell selection (Lumino's own opt-out).
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  // ... and the notebook around it does not act on (and cancel) the keys a control uses.
  root.addEventListener("keydown", (event) => {
    if (event.target.matches("input, select, button")) event.stopPropagation();
  });
  // Unique on the page: anywidget may load this module once per widget, so no module-level counter.
  const id = `course-explorer-${Math.random().toString(36).slice(2, 10)}`;

  const heading = document.createElement("div");
  heading.className = "course-explorer-title";
  heading.id = `${id}-title`;
  root.setAttribute("aria-labelledby", heading.id);

  const controlsRow = document.createElement("div");
  controlsRow.className = "course-explorer-controls";
  const presetsRow = document.createElement("div");
  presetsRow.className = "course-explorer-presets";
  const key = document.createElement("div");
  key.className = "course-explorer-key";
  const caption = document.createElement("div");
  caption.className = "course-explorer-caption";
  const img = document.createElement("img");
  img.className = "course-explorer-figure";
  const readout = document.createElement("pre");
  readout.className = "course-explorer-readout";
  readout.setAttribute("aria-live", "polite");
  root.append(heading, controlsRow, presetsRow, key, caption, img, readout);
  el.append(root);

  let inputs = {}; // name -> {control, input, output}
  let inFlight = 0; // the id of the request the kernel is drawing, 0 when none
  let pending = null; // the newest positions not yet sent: replaced, never queued
  // Request ids differ between views of one widget (a notebook open twice), so each view knows
  // its own answer.
  let nextId = 1 + Math.floor(Math.random() * 2 ** 30);
  let timer = null;
  let retried = false; // an unanswered request was sent again: not a third time, until a new move
  let sentAt = 0; // when the request in flight left: the figure's data-round-trip-ms says how long it took
  let framesShown = 0;

  function buildControls() {
    controlsRow.replaceChildren();
    inputs = {};
    const values = model.get("values");
    for (const control of model.get("controls")) {
      const wrap = document.createElement("div");
      wrap.className = `course-explorer-control course-explorer-${control.kind}`;
      const label = document.createElement("label");
      const inputId = `${id}-${control.name}`;
      label.htmlFor = inputId;
      label.textContent = control.label;
      let input;
      if (control.kind === "choice") {
        input = document.createElement("select");
        for (const option of control.options) {
          const item = document.createElement("option");
          item.value = option;
          item.textContent = option;
          input.append(item);
        }
      } else {
        input = document.createElement("input");
        input.type = "range";
        input.min = "0";
        input.step = "1";
        input.max = String(control.kind === "steps" ? control.labels.length - 1
                                                    : positionOf(control, control.high));
      }
      input.id = inputId;
      input.dataset.name = control.name;
      // On the control itself: Notebook 7 reads shortcuts while the key goes down (capture), before
      // the root's listener below could stop it; Lumino ignores keys from an element marked so.
      input.setAttribute("data-lm-suppress-shortcuts", "true");
      const output = document.createElement("output");
      output.htmlFor = inputId;
      output.setAttribute("aria-hidden", "true"); // the input's aria-valuetext says it already
      wrap.append(label, input, output);
      if (control.kind === "choice") output.hidden = true;
      controlsRow.append(wrap);
      inputs[control.name] = { control, input, output };
      input.addEventListener(control.kind === "choice" ? "change" : "input", () => {
        showPosition(control.name);
        request();
      });
    }
    showValues(values);
  }

  function showPosition(name) {
    const { control, input, output } = inputs[name];
    const words = text(control, control.kind === "slider" ? valueAt(control, Number(input.value))
                                                          : control.kind === "steps" ? Number(input.value)
                                                                                     : input.value);
    output.textContent = words;
    if (control.kind !== "choice") input.setAttribute("aria-valuetext", words);
  }

  function showValues(values) {
    for (const [name, { control, input }] of Object.entries(inputs)) {
      if (!(name in values)) continue;
      input.value = control.kind === "slider" ? String(positionOf(control, values[name]))
                                              : String(values[name]);
      showPosition(name);
    }
  }

  function positions() {
    const values = {};
    for (const [name, { control, input }] of Object.entries(inputs)) {
      values[name] = control.kind === "slider" ? valueAt(control, Number(input.value))
                   : control.kind === "steps" ? Number(input.value) : input.value;
    }
    return values;
  }

  function request() {
    retried = false;
    pending = positions();
    pump();
  }

  function pump() {
    if (inFlight || pending === null) return;
    inFlight = nextId++;
    sentAt = performance.now();
    model.send({ type: "draw", values: pending, id: inFlight });
    pending = null;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // No answer: the message was lost or the kernel restarted. Ask once more for what the
      // controls say now, so the figure does not stay behind them until the next move.
      console.warn(`${model.get("title")}: no frame within ${REQUEST_TIMEOUT_MS} ms, asking again`);
      inFlight = 0;
      if (pending === null && !retried) pending = positions();
      retried = true;
      pump();
    }, REQUEST_TIMEOUT_MS);
  }

  function stateWords() {
    // What a frame shows, in the controls' own words (tests and the browser benchmark compare them).
    const values = model.get("values");
    return model.get("controls").map((c) => text(c, values[c.name])).join(" | ");
  }

  function frameShown(state) {
    // A frame is on the page: its state, counted, and announced to whoever measures the explorer.
    img.dataset.state = state;
    img.dataset.frames = String(++framesShown);
    img.dispatchEvent(new CustomEvent("course-explorer-frame", { bubbles: true }));
  }

  function showImage() {
    const bytes = model.get("image");
    if (!bytes || bytes.byteLength === 0) return;
    const receivedAt = performance.now();
    const state = stateWords();
    img.onload = () => {
      img.dataset.loadMs = (performance.now() - receivedAt).toFixed(1);
      frameShown(state);
    };
    img.src = pngDataUrl(bytes);
    img.alt = model.get("alt");
    if (inFlight) img.dataset.roundTripMs = (performance.now() - sentAt).toFixed(1);
    img.dataset.kernelMs = model.get("draw_ms").toFixed(1);
  }

  function showCaption() {
    caption.textContent = model.get("caption");
    caption.hidden = !model.get("caption");
  }

  function showKey() {
    key.innerHTML = model.get("key"); // written by the notebook's author, not by a learner
    key.hidden = !model.get("key");
  }

  function buildPresets() {
    presetsRow.replaceChildren();
    const presets = model.get("presets");
    presetsRow.hidden = presets.length === 0;
    if (presets.length) {
      const label = document.createElement("span");
      label.textContent = "Try:";
      label.className = "course-explorer-presets-label";
      presetsRow.append(label);
    }
    for (const [name, values] of presets) {
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-lm-suppress-shortcuts", "true");
      button.textContent = name;
      button.setAttribute("aria-label", `set the controls to ${name}`);
      button.addEventListener("click", () => {
        const current = positions();
        showValues({ ...current, ...values });
        request();
      });
      presetsRow.append(button);
    }
  }

  // One update from the kernel sets several traits, then fires "change" once. An answer whose
  // picture is the previous one (sin's order-4 Taylor polynomial around 0 is its order-3 one) brings
  // no image to load: its frame, the new caption and readout, is shown as it stands.
  let answered = false;
  let imageArrived = false;
  model.on("change", () => {
    if (answered && !imageArrived) {
      img.dataset.loadMs = "0.0";
      img.dataset.kernelMs = model.get("draw_ms").toFixed(1);
      frameShown(stateWords());
    }
    answered = imageArrived = false;
  });
  model.on("change:frame", () => {
    if (model.get("frame") !== inFlight) return;
    answered = true;
    retried = false;
    img.dataset.roundTripMs = (performance.now() - sentAt).toFixed(1); // read when the image loads
    clearTimeout(timer);
    inFlight = 0;
    if (pending === null) showValues(model.get("values")); // the kernel may have adjusted them
    pump();
  });
  model.on("change:values", () => { if (!inFlight && pending === null) showValues(model.get("values")); });
  model.on("change:image", () => { imageArrived = true; showImage(); });
  model.on("change:alt", () => { img.alt = model.get("alt"); });
  model.on("change:readout", () => { readout.textContent = model.get("readout"); });
  model.on("change:caption", showCaption);
  model.on("change:controls", buildControls);
  model.on("change:key", showKey);
  model.on("change:title", () => { heading.textContent = model.get("title"); });

  heading.textContent = model.get("title");
  img.width = model.get("width");
  caption.style.maxWidth = `${model.get("width")}px`; // centred over the figure, not the cell
  img.height = model.get("height");
  showKey();
  showCaption();
  buildControls();
  buildPresets();
  readout.textContent = model.get("readout");
  showImage();
  return () => clearTimeout(timer);
}

export default { render };
