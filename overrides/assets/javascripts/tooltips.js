/* Tooltips for every element with a title (glossary terms, citation marks, buttons), drawn as
   Material's content.tooltips draws them (its md-tooltip2 markup and styles), but made when a
   reader points at or focuses one, by one listener for the whole document. Material's feature
   mounts a tooltip for each such element when the page loads: on the visit page, 170 of them,
   most of the page's blocking time on a phone (make audit). */
(function () {
  "use strict";
  var tip = null, host = null, title = "", timer = 0, shown = 0;

  function hostOf(node) {
    var el = node && node.closest ? node.closest("[title], [data-ij-title]") : null;
    return el && !el.closest(".md-tooltip2") && el !== document.documentElement ? el : null;
  }

  function show(el) {
    clearTimeout(timer);
    if (host === el) return;
    hide(true);
    title = el.getAttribute("title") || "";
    if (!title) return;
    host = el;
    el.removeAttribute("title");          // no second, native tooltip
    el.setAttribute("data-ij-title", title);
    tip = document.createElement("div");
    tip.className = "md-tooltip2 md-tooltip2--bottom";
    tip.setAttribute("role", "tooltip");
    tip.id = "__ij_tooltip_" + shown++;
    var inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    inner.textContent = title;
    tip.appendChild(inner);
    document.body.appendChild(tip);
    el.setAttribute("aria-describedby", tip.id);
    var box = el.getBoundingClientRect();
    var style = tip.style;
    style.setProperty("--md-tooltip-host-x", box.left + window.scrollX + "px");
    style.setProperty("--md-tooltip-host-y", box.top + window.scrollY + "px");
    style.setProperty("--md-tooltip-x", box.width / 2 + "px");
    style.setProperty("--md-tooltip-y", 8 + box.height + "px");
    style.setProperty("--md-tooltip-width", inner.offsetWidth + "px");
    style.setProperty("--md-tooltip-tail", "0px");
    var mine = tip;
    requestAnimationFrame(function () {
      if (tip === mine) mine.classList.add("md-tooltip2--active");
    });
  }

  function hide(now) {
    clearTimeout(timer);
    if (!host) return;
    var el = host, node = tip;
    host = tip = null;
    el.setAttribute("title", el.getAttribute("data-ij-title") || title);
    el.removeAttribute("data-ij-title");
    el.removeAttribute("aria-describedby");
    node.classList.remove("md-tooltip2--active");
    if (now) node.remove();
    else setTimeout(function () { node.remove(); }, 250);  // Material's fade-out
  }

  document.addEventListener("mouseover", function (e) {
    var el = hostOf(e.target);
    if (el) show(el);
    else if (host) timer = setTimeout(hide, 0);
  });
  document.addEventListener("focusin", function (e) {
    var el = hostOf(e.target);
    if (el) show(el);
  });
  document.addEventListener("focusout", function () { if (host) hide(); });
  document.addEventListener("mouseout", function (e) { if (!e.relatedTarget && host) hide(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && host) hide(); });
})();
