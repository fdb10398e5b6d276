// On-screen keyboard (Thai Kedmanee / English) for every textarea[data-osk].
// Needs, before this file: vendor/simple-keyboard/simple-keyboard.min.js and vendor/simple-keyboard/thai.js.
// The markup is templates/_keyboard.html, included right after the textarea (or named by
// data-osk="<id of the keyboard box>"). The textarea is the only source of truth: keys edit
// its value, respect its maxlength, and fire an `input` event; no inline script, no eval.
(function () {
  "use strict";

  var COMBINING = "\u0E31\u0E34\u0E35\u0E36\u0E37\u0E38\u0E39\u0E3A\u0E47\u0E48\u0E49\u0E4A\u0E4B\u0E4C\u0E4D";
  var ICON_SHIFT = '<svg class="osk-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 3 12h5v8h8v-8h5z"/></svg>';
  var ICON_BKSP = '<svg class="osk-icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M9 5h11a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H9l-7-7z"/><path class="osk-icon-x" d="m11 9 6 6m0-6-6 6"/></svg>';
  var BOTTOM_ROW = "{lang} {space} {clear}";
  var instances = [];
  var serial = 0;

  // Thai: the vendored Kedmanee rows without tab, caps lock, enter, ".com" and "@";
  // backspace moves from the top row to where enter was, so no row is wider than 13 keys.
  function thaiLayout() {
    var source = window.SimpleKeyboardLayouts && window.SimpleKeyboardLayouts.thai;
    if (!source) throw new Error("keyboard.js: vendor/simple-keyboard/thai.js is not loaded");
    var dropped = ["{tab}", "{lock}", "{enter}", "{bksp}", ".com", "@", "{space}", ""];
    var layout = {};
    ["default", "shift"].forEach(function (name) {
      var rows = source.layout[name].slice(0, 4).map(function (row) {
        return row.split(" ").filter(function (key) { return dropped.indexOf(key) < 0; });
      });
      rows[2].push("{bksp}");
      layout[name] = rows.map(function (keys) { return keys.join(" "); }).concat([BOTTOM_ROW]);
    });
    return layout;
  }

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

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function labels(box) {
    function get(name, fallback) { return box.getAttribute("data-osk-label-" + name) || fallback; }
    return {
      space: get("space", "Space"), del: get("delete", "Delete"), clear: get("clear", "Clear all"),
      shift: get("shift", "Shift"), thai: get("thai", "Thai"), english: get("english", "English")
    };
  }

  function displayFor(inst) {
    var l = inst.labels;
    var display = {
      "{bksp}": ICON_BKSP + '<span class="osk-label">' + escapeHtml(l.del) + "</span>",
      "{shift}": ICON_SHIFT,
      "{space}": '<span class="osk-label">' + escapeHtml(l.space) + "</span>",
      "{clear}": '<span class="osk-label">' + escapeHtml(l.clear) + "</span>",
      // The key names the layout it switches to, in that layout's own script.
      "{lang}": inst.lang === "th" ? '<span lang="en">ABC</span>' : '<span lang="th">\u0E44\u0E17\u0E22</span>'
    };
    // Combining marks on a dotted circle, so that a lone mark is visible on its key. The circle is
    // drawn by CSS, not U+25CC: Sarabun has no glyph for U+25CC, and "\u25CC" + mark as one cluster
    // finds no font to draw both (tofu boxes). A lone mark has no advance and paints to the left
    // of its origin, i.e. over the circle just before it.
    for (var i = 0; i < COMBINING.length; i++) {
      display[COMBINING[i]] = '<span class="osk-mark"><span class="osk-base"></span>' + COMBINING[i] + "</span>";
    }
    return display;
  }

  function attributesFor(inst) {
    var l = inst.labels;
    return [
      { attribute: "type", value: "button" },  // never submits the surrounding form
      { attribute: "aria-label", value: l.shift, buttons: "{shift}" },
      { attribute: "aria-label", value: inst.lang === "th" ? l.english : l.thai, buttons: "{lang}" }
    ];
  }

  function render(inst) {
    inst.box.setAttribute("data-osk-layout", inst.lang);
    inst.box.classList.toggle("osk-shifted", inst.shift);
    inst.keyboard.setOptions({
      layout: inst.lang === "th" ? LAYOUTS.th : LAYOUTS.en,
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
    if (button === "{shift}") {
      inst.shift = !inst.shift;
      render(inst);
    } else if (button === "{lang}") {
      inst.lang = inst.lang === "th" ? "en" : "th";
      inst.shift = false;
      render(inst);
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
    // Every key press tells other scripts and htmx (use hx-trigger="input changed" to skip no-ops).
    textarea.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: inputType, data: data }));
  }

  function findBox(textarea) {
    var id = textarea.getAttribute("data-osk");
    if (id) return document.getElementById(id);
    for (var el = textarea.nextElementSibling; el; el = el.nextElementSibling) {
      if (el.hasAttribute("data-osk-keyboard")) return el;
    }
    return null;
  }

  function startLanguage(textarea, box) {
    var chosen = box.getAttribute("data-osk-lang");
    if (!chosen) {
      var app = textarea.closest("[data-lang]");
      var tagged = textarea.closest("[lang]");
      chosen = (app && app.getAttribute("data-lang")) || (tagged && tagged.getAttribute("lang")) || "th";
    }
    return chosen.slice(0, 2).toLowerCase() === "en" ? "en" : "th";
  }

  function attach(textarea) {
    var box = findBox(textarea);
    var Keyboard = window.SimpleKeyboard && (window.SimpleKeyboard["default"] || window.SimpleKeyboard);
    if (!box || !Keyboard) return;
    var keys = box.querySelector("[data-osk-keys]");
    if (!keys) return;
    if (!LAYOUTS.th) LAYOUTS.th = thaiLayout();
    // simple-keyboard names an instance after the element's first class: make it unique.
    keys.className = "osk-kb-" + (++serial);
    textarea.setAttribute("inputmode", "none");
    textarea.readOnly = true;  // no system keyboard, no physical typing: only the keys on screen
    var inst = { textarea: textarea, box: box, keys: keys, lang: startLanguage(textarea, box), shift: false,
                 labels: labels(box) };
    inst.keyboard = new Keyboard(keys, {
      theme: "hg-theme-default osk-theme",
      useButtonTag: true,
      disableButtonHold: true,        // a long press types one character, not a run
      disableCaretPositioning: true,  // the textarea is the truth; always append at the end
      layout: inst.lang === "th" ? LAYOUTS.th : LAYOUTS.en,
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
