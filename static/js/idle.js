// Idle: after the screen's idle time untouched, back to the start screen by a full load, which
// forgets the citizen. Before that, "Still there?" counts down (templates/_still_there.html);
// a tap keeps the page. The idle time is the screen's own (.app[data-idle-seconds]: reading
// screens have a longer one), else the page's (body[data-idle-seconds]); 0 turns it off.
(function () {
  "use strict";
  var WARN_SECONDS = 20;  // WCAG 2.2.1: at least 20 s to say "keep it"
  var warnTimer = null;
  var tickTimer = null;
  var resetAt = 0;
  var dismissing = null;

  function idleSeconds() {
    var app = document.querySelector("#app .app[data-idle-seconds]");
    var holder = app || document.body;
    var seconds = parseInt(holder.getAttribute("data-idle-seconds"), 10);
    if (!(seconds > 0)) return 0;
    // The page rests on its start screen (the hall kiosk's attract screen; a counter display's
    // counter layout or pairing code): no idle time there.
    var rest = (document.body.getAttribute("data-rest-screens") || "attract").split(" ");
    var screen = document.querySelector(".app");
    return screen && rest.indexOf(screen.getAttribute("data-screen")) >= 0 ? 0 : seconds;
  }

  function home() { return document.body.getAttribute("data-home") || "/"; }

  // The warning takes the last 20 s, or the last half of a shorter idle time; under 2 s it
  // could not be read, so an idle time under 4 s resets without asking.
  function warnSeconds(seconds) {
    return Math.min(WARN_SECONDS, Math.floor(seconds / 2));
  }

  function prompt() { return document.querySelector("[data-still-there]"); }

  function stop() {
    clearTimeout(warnTimer);
    clearInterval(tickTimer);
    warnTimer = tickTimer = null;
  }

  function hidePrompt() {
    var box = prompt();
    if (box) box.remove();
  }

  // Drawn from its <template> only while shown: no hidden button waits in the page.
  function showPrompt() {
    var template = document.querySelector("[data-still-there-template]");
    if (prompt() || !template) return;
    template.parentNode.insertBefore(template.content.cloneNode(true), template.nextSibling);
  }

  function tick() {
    var left = Math.max(0, Math.ceil((resetAt - Date.now()) / 1000));
    var number = document.querySelector("[data-still-there-seconds]");
    if (number) number.textContent = String(left);
    if (left <= 0) {
      stop();
      window.location.replace(home());
    }
  }

  function warn() {
    showPrompt();
    tick();
    tickTimer = setInterval(tick, 250);
  }

  function arm() {
    stop();
    hidePrompt();
    var seconds = idleSeconds();
    if (seconds <= 0) return;
    resetAt = Date.now() + seconds * 1000;
    var warning = warnSeconds(seconds);
    warnTimer = setTimeout(warning >= 2 ? warn : tick, (seconds - (warning >= 2 ? warning : 0)) * 1000);
  }

  // A touch stops the countdown at once; the prompt goes on the tap's click, so that the tap
  // that keeps the page does not also land on the link under the prompt.
  function touched() {
    var box = prompt();
    if (!box) { arm(); return; }
    stop();
    clearTimeout(dismissing);
    dismissing = setTimeout(arm, 700);
  }

  document.addEventListener("DOMContentLoaded", function () {
    ["pointerdown", "keydown", "touchstart"].forEach(function (type) {
      document.addEventListener(type, touched, { passive: true, capture: true });
    });
    document.addEventListener("click", function (event) {
      var box = prompt();
      if (box && box.contains(event.target)) {
        event.preventDefault();
        clearTimeout(dismissing);
        arm();
      }
    }, true);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail && event.detail.target;
      if (event.target !== target) return;  // sent again to each new child of the same swap
      if (target && target.closest && target.closest("#app")) arm();  // a new screen, not a swap elsewhere
    });
    arm();
  });
})();
