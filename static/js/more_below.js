// "More below": shown while the screen (main#screen) has content under its lower edge; a tap
// scrolls it by most of a screenful. Checked on every swap, scroll, resize and image load.
(function () {
  "use strict";
  var EDGE_PX = 24;  // closer than this to the end counts as the end

  function parts() {
    return { screen: document.getElementById("screen"), button: document.querySelector("[data-more-below]") };
  }

  // The button is drawn from its <template> only while there is more: nothing hidden stays.
  function update() {
    var p = parts();
    var template = document.querySelector("[data-more-below-template]");
    if (!p.screen || !template) return;
    var more = p.screen.scrollHeight - p.screen.clientHeight - p.screen.scrollTop > EDGE_PX;
    if (more && !p.button) template.parentNode.insertBefore(template.content.cloneNode(true), template.nextSibling);
    if (!more && p.button) p.button.remove();
    p.screen.classList.toggle("has-more-below", more);
  }

  function watch() {
    var p = parts();
    if (!p.screen) return;
    if (!p.screen.hasAttribute("data-more-watched")) {
      p.screen.setAttribute("data-more-watched", "");
      p.screen.addEventListener("scroll", update, { passive: true });
      if (window.ResizeObserver) {
        var observer = new ResizeObserver(update);
        observer.observe(p.screen);
        Array.prototype.forEach.call(p.screen.children, function (child) { observer.observe(child); });
      }
    }
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("click", function (event) {
      if (!event.target.closest("[data-more-below]")) return;
      var screen = parts().screen;
      if (screen) screen.scrollBy({ top: Math.round(screen.clientHeight * 0.75), behavior: "smooth" });
    });
    document.body.addEventListener("htmx:afterSettle", watch);
    window.addEventListener("resize", update);
    window.addEventListener("load", update);
    watch();
  });
})();
