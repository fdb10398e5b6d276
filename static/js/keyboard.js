// On-screen keyboard for every textarea[data-osk]: Thai Kedmanee, English, and, for a citizen
// reading Myanmar or Chinese, Burmese and Chinese pinyin (simple-keyboard-layouts). Khmer and Lao
// have no layout there: those citizens get English and Thai, and _keyboard.html says so.
// Needs, before this file: vendor/simple-keyboard/simple-keyboard.min.js and vendor/simple-keyboard/thai.js;
// burmese.js and chinese.js are loaded from beside them the first time a keyboard needs them.
// The markup is templates/_keyboard.html, included right after the textarea (or named by
// data-osk="<id of the keyboard box>"). The textarea is the only source of truth: keys edit
// its value, respect its maxlength, and fire an `input` event; no inline script, no eval.
(function () {
  "use strict";

  // A key that is one combining mark (Thai vowels and tones, Myanmar vowels and medials) is drawn on a circle.
  var MARK = /^\p{M}$/u;
  var ICON_SHIFT = '<svg class="osk-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 3 12h5v8h8v-8h5z"/></svg>';
  var ICON_BKSP = '<svg class="osk-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M9 5h11a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H9l-7-7z"/><path class="osk-icon-x" d="m11 9 6 6m0-6-6 6"/></svg>';
  // The layout key carries a keyboard, so that it never reads as the top bar's language control (a globe).
  var ICON_KEYBOARD = '<svg class="osk-icon osk-icon-keyboard" viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6h18a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1zm2 3v2h2V9zm4 0v2h2V9zm4 0v2h2V9zm4 0v2h2V9zM7 14v2h10v-2z"/></svg>';
  var BOTTOM_ROW = "{lang} {space} {clear}";
  // The layouts a citizen can cycle through with the layout key, their own language's first.
  var CYCLES = { th: ["th", "en"], en: ["en", "th"], my: ["my", "en", "th"], zh: ["zh", "en", "th"],
                 km: ["en", "th"], lo: ["en", "th"] };
  // Each layout's name on the layout key, in its own script, and the language of that name.
  var NAMES = { th: ["\u0E44\u0E17\u0E22", "th"], en: ["ABC", "en"], my: ["\u1019\u103C\u1014\u103A\u1019\u102C", "my"],
                zh: ["\u4E2D\u6587", "zh"] };
  var VENDOR_FILES = { my: "burmese.js", zh: "chinese.js" };
  var CANDIDATES_PER_PAGE = 10;
  var SCRIPT = document.currentScript;
  var VENDOR_BASE = SCRIPT && SCRIPT.src ? SCRIPT.src.replace(/js\/keyboard\.js(\?.*)?$/, "vendor/simple-keyboard/") : "";
  var instances = [];
  var serial = 0;

  // A vendored layout's rows without tab, caps lock, enter, ".com" and "@"; backspace moves from
  // the top row to where enter was, so that no row is wider than 13 keys.
  function vendorLayout(name) {
    var source = window.SimpleKeyboardLayouts && window.SimpleKeyboardLayouts[name];
    if (!source) throw new Error("keyboard.js: vendor/simple-keyboard/" + name + ".js is not loaded");
    var dropped = ["{tab}", "{lock}", "{enter}", "{bksp}", ".com", "@", "{space}", ""];
    var layout = {};
    ["default", "shift"].forEach(function (layer) {
      var rows = source.layout[layer].slice(0, 4).map(function (row) {
        return row.split(" ").filter(function (key) { return dropped.indexOf(key) < 0; });
      });
      rows[2].push("{bksp}");
      layout[layer] = rows.map(function (keys) { return keys.join(" "); }).concat([BOTTOM_ROW]);
    });
    return layout;
  }

  function thaiLayout() { return vendorLayout("thai"); }

  var LAYOUTS = {
    en: {
      "default": [
        "1 2 3 4 5 6 7 8 9 0 -",
        "q w e r t y u i o p '",
        "a s d f g h j k l @ {bksp}",
        "{shift} z x c v b n m , . ? {shift}",
        BOTTOM_ROW
      ],
      shift: [
        "1 2 3 4 5 6 7 8 9 0 +",
        "Q W E R T Y U I O P \"",
        "A S D F G H J K L # {bksp}",
        "{shift} Z X C V B N M ; : ! {shift}",
        BOTTOM_ROW
      ]
    }
  };

  // Chinese: pinyin typed with the English letters, full-width punctuation. The candidates of the
  // syllable just typed take the place of the digit row (simple-keyboard-layouts' chinese.js lists them).
  function chineseLayout() {
    var swap = { ",": "\uFF0C", ".": "\u3002", "?": "\uFF1F", ";": "\uFF1B", ":": "\uFF1A", "!": "\uFF01" };
    var layout = {};
    ["default", "shift"].forEach(function (layer) {
      layout[layer] = LAYOUTS.en[layer].map(function (row) {
        return row.split(" ").map(function (key) { return swap[key] || key; }).join(" ");
      });
    });
    return layout;
  }

  function layoutFor(name) {
    if (!LAYOUTS[name]) LAYOUTS[name] = name === "th" ? thaiLayout() : name === "my" ? vendorLayout("burmese") : chineseLayout();
    return LAYOUTS[name];
  }

  // The pinyin syllable at the end of the text that has candidates: the longest one, as simple-keyboard does.
  function pendingPinyin(text) {
    var source = window.SimpleKeyboardLayouts && window.SimpleKeyboardLayouts.chinese;
    var tail = /[a-z]+$/.exec(text);
    if (!source || !tail) return "";
    for (var start = 0; start < tail[0].length; start++) {
      var syllable = tail[0].slice(start);
      if (Object.prototype.hasOwnProperty.call(source.layoutCandidates, syllable)) return syllable;
    }
    return "";
  }

  function candidatesOf(syllable) {
    return syllable ? window.SimpleKeyboardLayouts.chinese.layoutCandidates[syllable].split(" ") : [];
  }

  // The layout shown now: in Chinese with a syllable pending, its candidates (a page of them) replace the digits.
  function currentLayout(inst) {
    var layout = layoutFor(inst.lang);
    if (inst.lang !== "zh" || !inst.pinyin) return layout;
    var all = candidatesOf(inst.pinyin);
    var first = inst.page * CANDIDATES_PER_PAGE;
    var keys = [];
    for (var i = first; i < Math.min(all.length, first + CANDIDATES_PER_PAGE); i++) keys.push("{cand:" + i + "}");
    var row = ["{cand-prev}"].concat(keys, ["{cand-next}"]).join(" ");
    return { "default": [row].concat(layout["default"].slice(1)), shift: [row].concat(layout.shift.slice(1)) };
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function labels(box) {
    function get(name, fallback) { return box.getAttribute("data-osk-label-" + name) || fallback; }
    return {
      space: get("space", "Space"), del: get("delete", "Delete"), clear: get("clear", "Clear all"),
      shift: get("shift", "Shift"), thai: get("thai", "Thai"), english: get("english", "English"),
      burmese: get("burmese", "Myanmar keyboard"), chinese: get("chinese", "Chinese keyboard (pinyin)"),
      previous: get("previous", "Previous characters"), next: get("next", "More characters")
    };
  }

  function nextLayout(inst) {
    var cycle = inst.cycle;
    return cycle[(cycle.indexOf(inst.lang) + 1) % cycle.length];
  }

  function displayFor(inst) {
    var l = inst.labels;
    var next = NAMES[nextLayout(inst)];
    var display = {
      "{bksp}": ICON_BKSP + '<span class="osk-label">' + escapeHtml(l.del) + "</span>",
      "{shift}": ICON_SHIFT,
      "{space}": '<span class="osk-label">' + escapeHtml(l.space) + "</span>",
      "{clear}": '<span class="osk-label">' + escapeHtml(l.clear) + "</span>",
      // The key names the layout it switches to, in that layout's own script.
      "{lang}": ICON_KEYBOARD + '<span lang="' + next[1] + '">' + next[0] + "</span>",
      "{cand-prev}": '<span aria-hidden="true">\u2039</span>',
      "{cand-next}": '<span aria-hidden="true">\u203A</span>'
    };
    // Combining marks on a dotted circle, so that a lone mark is visible on its key. The circle is
    // drawn by CSS, not U+25CC: Sarabun has no glyph for U+25CC, and "\u25CC" + mark as one cluster
    // finds no font to draw both (tofu boxes). A lone mark has no advance and paints to the left
    // of its origin, i.e. over the circle just before it.
    var layout = layoutFor(inst.lang);
    ["default", "shift"].forEach(function (layer) {
      layout[layer].join(" ").split(" ").forEach(function (key) {
        if (MARK.test(key)) display[key] = '<span class="osk-mark"><span class="osk-base"></span>' + key + "</span>";
      });
    });
    candidatesOf(inst.lang === "zh" ? inst.pinyin : "").forEach(function (character, i) {
      display["{cand:" + i + "}"] = '<span lang="zh">' + character + "</span>";
    });
    return display;
  }

  function attributesFor(inst) {
    var l = inst.labels;
    var next = nextLayout(inst);
    var names = { th: l.thai, en: l.english, my: l.burmese, zh: l.chinese };
    var attributes = [
      { attribute: "type", value: "button" },  // never submits the surrounding form
      { attribute: "aria-label", value: l.shift, buttons: "{shift}" },
      { attribute: "aria-label", value: names[next], buttons: "{lang}" },
      { attribute: "aria-label", value: l.previous, buttons: "{cand-prev}" },
      { attribute: "aria-label", value: l.next, buttons: "{cand-next}" }
    ];
    if (inst.lang === "zh" && inst.pinyin) {
      var all = candidatesOf(inst.pinyin);
      var first = inst.page * CANDIDATES_PER_PAGE;
      var disabled = [];
      if (inst.page === 0) disabled.push("{cand-prev}");
      if (first + CANDIDATES_PER_PAGE >= all.length) disabled.push("{cand-next}");
      if (disabled.length) attributes.push({ attribute: "aria-disabled", value: "true", buttons: disabled.join(" ") });
      for (var i = first; i < Math.min(all.length, first + CANDIDATES_PER_PAGE); i++) {
        attributes.push({ attribute: "aria-label", value: all[i], buttons: "{cand:" + i + "}" });
        attributes.push({ attribute: "lang", value: "zh", buttons: "{cand:" + i + "}" });
      }
    }
    return attributes;
  }

  function render(inst) {
    inst.box.setAttribute("data-osk-layout", inst.lang);
    inst.box.classList.toggle("osk-shifted", inst.shift);
    inst.box.classList.toggle("osk-candidates", inst.lang === "zh" && !!inst.pinyin);
    inst.keyboard.setOptions({
      layout: currentLayout(inst),
      layoutName: inst.shift ? "shift" : "default",
      display: displayFor(inst),
      buttonAttributes: attributesFor(inst)
    });
    var shiftKeys = inst.keys.querySelectorAll('[data-skbtn="{shift}"]');
    for (var i = 0; i < shiftKeys.length; i++) shiftKeys[i].setAttribute("aria-pressed", inst.shift ? "true" : "false");
  }

  function updateCount(inst) {
    var used = inst.textarea.value.length;
    var max = inst.textarea.maxLength;
    var full = max >= 0 && used >= max;
    var counters = inst.box.querySelectorAll("[data-osk-count]");
    for (var i = 0; i < counters.length; i++) {
      counters[i].textContent = max >= 0 ? used + "/" + max : String(used);
      counters[i].classList.toggle("osk-count-full", full);
    }
    inst.box.classList.toggle("osk-full", full);
  }

  function dropLastCharacter(text) {
    var chars = Array.from(text);
    chars.pop();
    return chars.join("");
  }

  function press(inst, button) {
    var textarea = inst.textarea;
    var before = textarea.value;
    var value = before;
    var inputType = "insertText";
    var data = null;
    var candidate = /^\{cand:(\d+)\}$/.exec(button);
    if (button === "{shift}") {
      inst.shift = !inst.shift;
      render(inst);
    } else if (button === "{lang}") {
      inst.lang = nextLayout(inst);
      inst.shift = false;
      whenLoaded(inst.lang, function () { render(inst); });
    } else if (button === "{cand-prev}" || button === "{cand-next}") {
      var pages = Math.ceil(candidatesOf(inst.pinyin).length / CANDIDATES_PER_PAGE);
      inst.page = Math.max(0, Math.min(pages - 1, inst.page + (button === "{cand-next}" ? 1 : -1)));
      render(inst);
      return;
    } else if (candidate) {
      // The character takes the place of the pinyin it was chosen for.
      data = candidatesOf(inst.pinyin)[Number(candidate[1])];
      value = before.slice(0, before.length - inst.pinyin.length) + data;
      if (textarea.maxLength >= 0 && value.length > textarea.maxLength) value = before;
    } else if (button === "{bksp}") {
      value = dropLastCharacter(before);
      inputType = "deleteContentBackward";
    } else if (button === "{clear}") {
      value = "";
      inputType = "deleteContent";
    } else {
      data = button === "{space}" ? " " : button;
      var max = textarea.maxLength;
      if (max < 0 || before.length + data.length <= max) value = before + data;
      if (inst.shift) {  // one-shot shift: back to the normal layer after one character
        inst.shift = false;
        render(inst);
      }
    }
    if (value !== before) {
      textarea.value = value;
      textarea.scrollTop = textarea.scrollHeight;
    }
    inst.keyboard.setInput(textarea.value);
    if (inst.lang === "zh" || inst.pinyin) updatePinyin(inst);
    // Every key press tells other scripts and htmx (use hx-trigger="input changed" to skip no-ops).
    textarea.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: inputType, data: data }));
  }

  // In Chinese, the syllable at the end of the text and its first page of candidates.
  function updatePinyin(inst) {
    var pinyin = inst.lang === "zh" ? pendingPinyin(inst.textarea.value) : "";
    if (pinyin === inst.pinyin) return;
    inst.pinyin = pinyin;
    inst.page = 0;
    render(inst);
  }

  // Runs `then` once the layout's vendored file is there (loaded from beside simple-keyboard the first time).
  function whenLoaded(name, then) {
    var file = VENDOR_FILES[name];
    var loaded = window.SimpleKeyboardLayouts && window.SimpleKeyboardLayouts[file && file.replace(".js", "")];
    if (!file || loaded) { then(); return; }
    var id = "osk-layout-" + name;
    var script = document.getElementById(id);
    if (!script) {
      script = document.createElement("script");
      script.id = id;
      script.src = VENDOR_BASE + file;
      document.head.appendChild(script);
    }
    script.addEventListener("load", then);
  }

  function findBox(textarea) {
    var id = textarea.getAttribute("data-osk");
    if (id) return document.getElementById(id);
    for (var el = textarea.nextElementSibling; el; el = el.nextElementSibling) {
      if (el.hasAttribute("data-osk-keyboard")) return el;
    }
    return null;
  }

  // The citizen's language (the keyboard box's data-osk-lang, else the page's).
  function citizenLanguage(textarea, box) {
    var chosen = box.getAttribute("data-osk-lang");
    if (!chosen) {
      var app = textarea.closest("[data-lang]");
      var tagged = textarea.closest("[lang]");
      chosen = (app && app.getAttribute("data-lang")) || (tagged && tagged.getAttribute("lang")) || "th";
    }
    chosen = chosen.slice(0, 2).toLowerCase();
    return CYCLES[chosen] ? chosen : "th";
  }

  function attach(textarea) {
    var box = findBox(textarea);
    var Keyboard = window.SimpleKeyboard && (window.SimpleKeyboard["default"] || window.SimpleKeyboard);
    if (!box || !Keyboard) return;
    var keys = box.querySelector("[data-osk-keys]");
    if (!keys) return;
    var cycle = CYCLES[citizenLanguage(textarea, box)];
    var lang = cycle[0];
    if (VENDOR_FILES[lang] && !(window.SimpleKeyboardLayouts || {})[VENDOR_FILES[lang].replace(".js", "")]) {
      whenLoaded(lang, scan);  // attach once the layout is there
      return;
    }
    layoutFor("th");
    // simple-keyboard names an instance after the element's first class: make it unique.
    keys.className = "osk-kb-" + (++serial);
    textarea.setAttribute("inputmode", "none");
    textarea.readOnly = true;  // no system keyboard, no physical typing: only the keys on screen
    var inst = { textarea: textarea, box: box, keys: keys, lang: lang, cycle: cycle, shift: false,
                 pinyin: "", page: 0, labels: labels(box) };
    inst.keyboard = new Keyboard(keys, {
      theme: "hg-theme-default osk-theme",
      useButtonTag: true,
      disableButtonHold: true,        // a long press types one character, not a run
      disableCaretPositioning: true,  // the textarea is the truth; always append at the end
      layout: currentLayout(inst),
      layoutName: "default",
      display: displayFor(inst),
      buttonAttributes: attributesFor(inst),
      onKeyPress: function (button) { press(inst, button); }
    });
    // The counter follows every change, ours or another script's (a form reset too).
    inst.onInput = function () { updateCount(inst); };
    inst.onReset = function () { setTimeout(inst.onInput, 0); };
    textarea.addEventListener("input", inst.onInput);
    inst.form = textarea.form;
    if (inst.form) inst.form.addEventListener("reset", inst.onReset);
    render(inst);
    updatePinyin(inst);
    updateCount(inst);
    instances.push(inst);
  }

  function detach(inst) {
    inst.textarea.removeEventListener("input", inst.onInput);
    if (inst.form) inst.form.removeEventListener("reset", inst.onReset);
    try { inst.keyboard.destroy(); } catch (err) { /* its DOM is already gone */ }
  }

  // Drop keyboards whose textarea or box left the document, then attach to new textareas.
  function scan() {
    instances = instances.filter(function (inst) {
      var alive = inst.textarea.isConnected && inst.box.isConnected && inst.keys.isConnected;
      if (!alive) detach(inst);
      return alive;
    });
    var textareas = document.querySelectorAll("textarea[data-osk]");
    for (var i = 0; i < textareas.length; i++) {
      var ta = textareas[i];
      var known = instances.some(function (inst) { return inst.textarea === ta; });
      if (!known) attach(ta);
    }
  }

  window.KioskKeyboard = {
    scan: scan,
    count: function () { return instances.length; }
  };

  function start() {
    scan();
    document.body.addEventListener("htmx:afterSwap", scan);
    document.body.addEventListener("htmx:load", scan);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
