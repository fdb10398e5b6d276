// "More below": shown while the screen (main#screen) has content under its lower edge; a tap
// scrolls it by most of a screenful. Checked on scroll, on resize and whenever the screen or
// one of its children changes size (a new screen, an image loaded, a panel opened).
//
// The sizes are read only where the browser has just laid the page out (a ResizeObserver's
// callback, a scroll event), never straight after a swap: a read there would force a second
// layout of the whole new screen in the middle of the tap.
(function () {
  "use strict";
  var EDGE_PX = 24;  // closer than this to the end counts as the end
  var observer = null;
  var watched = null;  // the screen element the observer and the scroll listener are on

  // The button is drawn from its <template> only while there is more: nothing hidden stays.
  function update() {
    var screen = document.getElementById("screen");
    var template = document.querySelector("[data-more-below-template]");
    if (!screen || !template) return;
    var button = document.querySelector("[data-more-below]");
    var more = screen.scrollHeight - screen.clientHeight - screen.scrollTop > EDGE_PX;
    if (more && !button) template.parentNode.insertBefore(template.content.cloneNode(true), template.nextSibling);
    if (!more && button) button.remove();
    if (screen.classList.contains("has-more-below") !== more) screen.classList.toggle("has-more-below", more);
  }

  var pending = false;
  function updateNextFrame() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; update(); });
  }

  function watch() {
    var screen = document.getElementById("screen");
    if (!screen || screen === watched) return;
    if (observer) observer.disconnect();
    watched = screen;
    screen.addEventListener("scroll", update, { passive: true });
    if (window.ResizeObserver) {
      // Its first report comes in the next frame, after layout: the read is free. The change
      // waits one more frame: made in the callback, it would lay the new screen out twice
      // before its first paint (a tenth of a throttled tap on the manual index).
      observer = new ResizeObserver(updateNextFrame);
      observer.observe(screen);
      Array.prototype.forEach.call(screen.children, function (child) { observer.observe(child); });
    } else {
      requestAnimationFrame(update);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("click", function (event) {
      if (!event.target.closest("[data-more-below]")) return;
      var screen = document.getElementById("screen");
      if (screen) screen.scrollBy({ top: Math.round(screen.clientHeight * 0.75), behavior: "smooth" });
    });
    document.body.addEventListener("htmx:afterSettle", watch);
    window.addEventListener("resize", update);
    window.addEventListener("load", update);
    watch();
  });
})();
