// Kiosk behaviour: clock, rotating slides, touch hygiene, offline notice (the idle reset: idle.js).
(function () {
  "use strict";

  function screenName() {
    var app = document.querySelector(".app");
    return app ? app.getAttribute("data-screen") : "";
  }

  // The station's time, whatever time zone the box was set up with (Thailand has no DST).
  var BANGKOK_OFFSET_MS = 7 * 3600 * 1000;
  var DAY_MS = 24 * 3600 * 1000;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tickClock() {
    var now = new Date(Date.now() + BANGKOK_OFFSET_MS);
    var text = pad(now.getUTCHours()) + ":" + pad(now.getUTCMinutes()) + ":" + pad(now.getUTCSeconds());
    document.querySelectorAll("[data-clock]").forEach(function (el) { if (el.textContent !== text) el.textContent = text; });
  }

  var slideIndex = 0;
  function nextSlide() {
    var slides = document.querySelectorAll("[data-slides] .slide");
    if (!slides.length) return;
    slides[slideIndex % slides.length].classList.remove("is-active");
    slideIndex = (slideIndex + 1) % slides.length;
    slides[slideIndex].classList.add("is-active");
  }

  // The start screen reloads just after midnight so that its date is right.
  function reloadAtMidnight() {
    var untilMidnight = DAY_MS - ((Date.now() + BANGKOK_OFFSET_MS) % DAY_MS) + 5000;
    setTimeout(function () { if (screenName() === "attract") window.location.reload(); }, untilMidnight);
  }

  // Each of these costs the next frame nothing unless it changes something: writing <html lang>
  // (even the same value) restyles every element, and scrolling a screen forces its layout in
  // the middle of the swap. A swapped-in screen is a new element, already at its top.
  var lastScreen = null;
  function afterSwap(event) {
    // htmx sends afterSwap to the swap's target and again to each new child: once is enough.
    if (event && event.detail && event.detail.target && event.target !== event.detail.target) return;
    var app = document.querySelector(".app");
    var lang = app && (app.getAttribute("lang") || app.getAttribute("data-lang") || "th");
    if (lang && document.documentElement.getAttribute("lang") !== lang) document.documentElement.lang = lang;
    var screen = document.getElementById("screen");
    if (screen && screen === lastScreen && screen.scrollTop) screen.scrollTop = 0;
    lastScreen = screen;
    slideIndex = 0;
    tickClock();
  }

  // A new screen replaces the old one whole (#app's innerHTML). htmx would first walk every old
  // element to send it two clean-up events, each bubbling to the document: on the manual's
  // 650 elements that was most of a throttled tap's script time. Nothing on the citizen
  // screens needs those events (no hx-trigger "from:" another element, no hx-preserve; htmx's
  // own timers and listeners stop on an element out of the page), so the old screen goes at
  // once. A focused element with an id stays for htmx to move the focus to the new one.
  function dropOldScreen(event) {
    var detail = event.detail;
    var target = detail && detail.target;
    if (!detail.shouldSwap || !target || target.id !== "app" || detail.swapOverride) return;
    var source = detail.elt && detail.elt.closest ? detail.elt.closest("[hx-swap]") : null;
    if (source && source.getAttribute("hx-swap") !== "innerHTML") return;
    var focused = document.activeElement;
    if (focused && focused.id && target.contains(focused)) return;
    target.textContent = "";
  }

  function showOffline(show) {
    var banner = document.querySelector("[data-offline-banner]");
    if (banner) banner.hidden = !show;
  }

  // The page checks in with its server every few seconds (body[data-poll]): after a duty reset,
  // or on a revoked counter display, the answer names where to go (htmx's HX-Redirect header);
  // no answer at all shows the offline notice. A plain fetch, not an htmx poll: htmx's request
  // machinery held a 6x-throttled kiosk PC's main thread 30-80 ms every 3 s, and a tap that
  // came then answered late.
  var POLL_MS = 3000;
  var POLL_TIMEOUT_MS = 10000;  // a server that takes the request and never answers is not there
  function poll() {
    var url = document.body.getAttribute("data-poll");
    if (!url) return;
    var options = { cache: "no-store", credentials: "same-origin" };
    if (window.AbortSignal && AbortSignal.timeout) options.signal = AbortSignal.timeout(POLL_TIMEOUT_MS);
    fetch(url, options).then(function (response) {
      showOffline(false);
      var next = response.headers.get("HX-Redirect");
      if (next) window.location.assign(next);
      else setTimeout(poll, POLL_MS);
    }, function () {
      showOffline(true);
      setTimeout(poll, POLL_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("contextmenu", function (event) { event.preventDefault(); });
    document.addEventListener("gesturestart", function (event) { event.preventDefault(); });
    document.body.addEventListener("htmx:afterSwap", afterSwap);
    document.body.addEventListener("htmx:beforeSwap", dropOldScreen);
    document.body.addEventListener("htmx:sendError", function () { showOffline(true); });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful || event.detail.xhr.status) showOffline(false);
    });
    setInterval(tickClock, 1000);
    setInterval(nextSlide, 7000);
    reloadAtMidnight();
    setTimeout(poll, POLL_MS);
    afterSwap();
  });
})();

// The duty officer's PIN pad, and the hidden way in: a long press on the station logo.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var key = event.target.closest("[data-pinpad] [data-digit], [data-pinpad] [data-clear]");
    if (!key) return;
    var field = key.closest("[data-pinpad]").querySelector("input[name=pin]");
    if (key.hasAttribute("data-clear")) field.value = "";
    else if (field.value.length < 8) field.value += key.getAttribute("data-digit");
  });

  var pressTimer = null;
  var longPressed = false;
  document.addEventListener("pointerdown", function (event) {
    if (!event.target.closest(".brand-logo, .attract-logo")) return;
    longPressed = false;
    pressTimer = setTimeout(function () { longPressed = true; window.location.assign("/duty"); }, 2000);
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (type) {
    document.addEventListener(type, function () { clearTimeout(pressTimer); });
  });
  // After a long press, the tap that ends it must not also open home.
  document.addEventListener("click", function (event) {
    if (longPressed && event.target.closest(".brand, .attract")) { event.preventDefault(); event.stopPropagation(); }
  }, true);
})();

// A tap answers in the next frame. The tapped control is drawn pressed first, and only then
// does htmx build and send its request. Otherwise, on a slow kiosk PC, building the request,
// and a quick answer's swap that lands before the frame, hold back the first frame after the
// finger lifts until the whole new screen is drawn (300 ms and more at 6x CPU throttling),
// with nothing on the glass to say that the tap was felt. The control stays pressed until
// its answer comes (a new screen replaces it; an error or no network clears it).
(function () {
  "use strict";
  var PRESSED = "is-pressed";

  function afterNextPaint(callback) {
    var done = false;
    function once() { if (!done) { done = true; callback(); } }
    requestAnimationFrame(function () { setTimeout(once, 0); });
    setTimeout(once, 100);  // no frame comes while the page is hidden
  }

  document.addEventListener("htmx:confirm", function (event) {
    var detail = event.detail;
    var trigger = detail && detail.triggeringEvent;
    if (event.defaultPrevented || !trigger || (trigger.type !== "click" && trigger.type !== "submit")) return;
    var control = trigger.type === "submit" ? trigger.submitter : detail.elt;
    event.preventDefault();
    if (control && control.classList) control.classList.add(PRESSED);
    afterNextPaint(function () { detail.issueRequest(true); });
  });

  document.addEventListener("htmx:afterRequest", function () {
    document.querySelectorAll("." + PRESSED).forEach(function (control) { control.classList.remove(PRESSED); });
  });
})();
