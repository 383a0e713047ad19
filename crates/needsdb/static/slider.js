// The allocation preview's supply slider. Without this script the slider
// stays hidden and the form's Preview button does the same work: the page
// is complete without it. With it, moving the slider asks the server for
// the same page at the new supply (the rule is the server's, never copied
// here) and puts its result in place, so the shares move as you slide.
(function () {
  "use strict";
  var box = document.querySelector("[data-slider]");
  var field = document.getElementById("quantity");
  if (!box || !field || !field.form || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }
  var range = box.querySelector("input[type=range]");
  var shown = box.querySelector("output");
  var lang = document.documentElement.lang || "en";
  var format = window.Intl ? new Intl.NumberFormat(lang).format : String;
  var timer = null;
  var pending = null;
  box.hidden = false;

  function load() {
    var params = new URLSearchParams(new FormData(field.form));
    var url = field.form.getAttribute("action") + "?" + params.toString();
    if (pending) {
      pending.abort();
    }
    pending = window.AbortController ? new AbortController() : null;
    box.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", signal: pending ? pending.signal : undefined })
      .then(function (r) {
        return r.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("allocation-result");
        var here = document.getElementById("allocation-result");
        if (fresh && here) {
          here.innerHTML = fresh.innerHTML;
        }
        // The form that saves a proposal carries the supply too.
        document.querySelectorAll("input[type=hidden][name=quantity]").forEach(function (h) {
          h.value = field.value;
        });
        window.history.replaceState(null, "", url);
        box.removeAttribute("aria-busy");
      })
      .catch(function () {
        box.removeAttribute("aria-busy");
      });
  }

  range.addEventListener("input", function () {
    field.value = range.value;
    shown.value = format(Number(range.value));
    window.clearTimeout(timer);
    // Wait until the hand rests: on a slow link, one request per pause.
    timer = window.setTimeout(load, 250);
  });
})();
