// The follow-up questions keep what the citizen chose or typed until it is sent:
// - the top bar's language and text-size controls carry the answers to the redrawn screen;
// - Home and the station name ask first (templates/citizen/_leave_guard.html): send, leave, stay.
// "Done" and "Next" are submit buttons and save through the form itself.
(function () {
  "use strict";
  var carried = null;  // {action, fields: [[name, value, kind]]} while a carrying control loads
  var pending = null;  // the htmx:confirm detail of a link held back by the guard

  function followupForm() { return document.querySelector("form[data-followup-form]"); }

  function answers(form) {
    var fields = [];
    var inputs = form.querySelectorAll("input[type=radio], input[type=checkbox], textarea");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.tagName === "TEXTAREA") {
        if (el.value) fields.push([el.name, el.value, "text"]);
      } else if (el.checked) {
        fields.push([el.name, el.value, "check"]);
      }
    }
    return fields;
  }

  function restore(form, fields) {
    fields.forEach(function (field) {
      var name = field[0], value = field[1], kind = field[2];
      if (kind === "text") {
        var textarea = form.querySelector("textarea[name='" + CSS.escape(name) + "']");
        if (!textarea) return;
        textarea.value = value;
        textarea.dispatchEvent(new Event("input", { bubbles: true }));  // the keyboard's counter
      } else {
        var input = form.querySelector("input[name='" + CSS.escape(name) + "'][value='" + CSS.escape(value) + "']");
        if (input) input.checked = true;
      }
    });
  }

  function carries(link) {
    return link.closest(".control-lang, .control-text") !== null;
  }

  function guard() { return document.querySelector("[data-leave-guard]"); }

  function closeGuard() {
    var box = guard();
    if (box) box.remove();
    pending = null;
  }

  // Drawn from its <template> only while asked: no hidden button waits in the page.
  function openGuard() {
    var template = document.querySelector("[data-leave-guard-template]");
    if (guard() || !template) return;
    template.parentNode.insertBefore(template.content.cloneNode(true), template.nextSibling);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("htmx:confirm", function (event) {
      var link = event.target;
      var form = followupForm();
      if (!form || !link || link.tagName !== "A" || form.contains(link)) return;
      var fields = answers(form);
      if (!fields.length) return;
      if (carries(link)) {
        carried = { action: form.getAttribute("action"), fields: fields };
        return;
      }
      event.preventDefault();
      pending = event.detail;
      openGuard();
    });

    document.body.addEventListener("htmx:afterSwap", function () {
      if (!carried) return;
      var form = followupForm();
      if (form && form.getAttribute("action") === carried.action) restore(form, carried.fields);
      carried = null;
    });
    document.body.addEventListener("htmx:responseError", function () { carried = null; });

    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-leave-guard] button");
      if (!button) return;
      if (button.hasAttribute("data-leave-guard-save")) {
        var form = followupForm();
        var done = form && form.querySelector("button[name=done]");
        closeGuard();
        if (done) done.click();  // the same path as a tap on Done
        else if (form) form.requestSubmit();
      } else if (button.hasAttribute("data-leave-guard-leave")) {
        var detail = pending;
        closeGuard();
        if (detail) detail.issueRequest(true);
      } else {
        closeGuard();
      }
    });
  });
})();
