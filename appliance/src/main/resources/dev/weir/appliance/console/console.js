// weir console: the one script the console serves (docs/console.md). It only refreshes the data
// part of the live page while "follow" is ticked. What it inserts is HTML the server rendered and
// escaped; it never builds markup from data itself.
"use strict";
(function () {
  var REFRESH_MS = 3000;
  function follow() {
    var box = document.getElementById("follow");
    var data = document.getElementById("live-data");
    if (!box || !data) return;
    var src = data.getAttribute("data-src");
    var busy = false;
    setInterval(function () {
      if (!box.checked || busy || document.hidden) return;
      busy = true;
      fetch(src, { credentials: "same-origin", cache: "no-store", redirect: "error" })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
          var fresh = doc.body.firstChild;
          data.replaceChildren.apply(data, Array.prototype.slice.call(fresh.childNodes));
          data.removeAttribute("data-stale");
        })
        .catch(function () {
          data.setAttribute("data-stale", "true");
        })
        .finally(function () {
          busy = false;
        });
    }, REFRESH_MS);
  }
  document.addEventListener("DOMContentLoaded", follow);
})();
