/* The colour toggle (light and dark), as Material's palette component works it, without its cost
   on load. Material's component, as it mounts, inserts <meta name="color-scheme"> and sets it:
   Chromium then restyles every element of the page ("PlatformColorChange"), about 190 ms of a
   phone's main thread on the visit page (Chromium trace, CPU slowed 4x), the largest piece of
   the start-up task that makes our blocking time (make audit). Here the page's own colour scheme
   follows the body's through the stylesheet (extra.css, html:has(...)), which the page's first
   styling computes anyway, and only the theme colour meta is set, from the header's colour,
   which changes no style. The markup is Material's (partials/palette.html, marked
   data-ij-palette, not data-md-component, so that Material does not mount it) and so is the
   stored choice ("__palette", through Material's __md_get and __md_set), which Material's own
   script at the top of the page's body applies before anything is drawn. */
(function () {
  "use strict";
  var form = document.querySelector("[data-ij-palette]");
  if (!form) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
  var body = document.body;
  var current = 0;
  var theme = document.createElement("meta");
  theme.name = "theme-color";
  document.head.appendChild(theme);

  function choose(index, switching) {
    var input = inputs[index], color = {};
    current = index;
    ["media", "scheme", "primary", "accent"].forEach(function (key) {
      color[key] = input.getAttribute("data-md-color-" + key);
    });
    // A switch a reader makes has no transitions (Material's stylesheet, while this is set);
    // on load nothing switches, and setting it would restyle the whole page for nothing.
    if (switching) body.setAttribute("data-md-color-switching", "");
    Object.keys(color).forEach(function (key) {
      if (body.getAttribute("data-md-color-" + key) !== color[key]) {
        body.setAttribute("data-md-color-" + key, color[key]);
      }
    });
    inputs.forEach(function (other, i) {
      var label = other.nextElementSibling;
      if (label instanceof HTMLElement) label.hidden = i !== index;
    });
    input.checked = true;
    __md_set("__palette", {index: index, color: color});
    var header = document.querySelector("header");
    var rgb = header ? getComputedStyle(header).backgroundColor.match(/\d+/g) : null;
    if (rgb) {
      theme.content = "#" + rgb.slice(0, 3).map(function (c) {
        return (+c).toString(16).padStart(2, "0");
      }).join("");
    }
    if (switching) setTimeout(function () { body.removeAttribute("data-md-color-switching"); });
  }

  // The reader's stored choice, or else the first option whose media query the system meets.
  var stored = __md_get("__palette");
  var start = stored && typeof stored.index === "number" ? stored.index
    : inputs.findIndex(function (input) {
      return matchMedia(input.getAttribute("data-md-color-media")).matches;
    });
  choose(Math.max(0, Math.min(start, inputs.length - 1)), false);

  inputs.forEach(function (input, i) {
    input.addEventListener("change", function () { choose(i, true); });
  });
  form.addEventListener("keydown", function (e) {  // Enter: the next option
    if (e.key !== "Enter") return;
    var next = inputs[(current + 1) % inputs.length];
    next.click();
    next.focus();
  });
})();
