/* The search index is downloaded when a reader opens the search, not with every page. Material's
   script requests it (search/search_index.json) as every page starts, reads it and hands it to its
   search worker: a tenth of a megabyte compressed today, growing with the site, and work on the
   phone's main thread that grows with it, paid on every page by readers who never search (make
   audit, make bench). Material has no setting for this, so this script, which runs before
   Material's (overrides/main.html), holds that one request until the reader opens the search, by
   the search button, a keyboard shortcut, a click in the field or a ?q= link, and sends it then;
   until it arrives, Material shows "Initializing search" and keeps what is typed, and then
   searches for it. A page opened from a result (?h=, to highlight the words searched for)
   needs the index at once and gets it. Once that request is seen, XMLHttpRequest is as it was. */
(function () {
  "use strict";
  var toggle = document.getElementById("__search");
  if (!toggle) return;
  var proto = XMLHttpRequest.prototype, open = proto.open, send = proto.send;
  var wanted = new URLSearchParams(location.search).has("h"), held = null;

  function release() {
    wanted = true;
    if (held) {
      held();
      held = null;
    }
  }

  proto.open = function (method, url) {
    this.ijIndex = /\/search\/search_index\.json$/.test(new URL(url, location.href).pathname);
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (!this.ijIndex) return send.apply(this, arguments);
    proto.open = open;
    proto.send = send;
    if (wanted) return send.apply(this, arguments);
    var request = this, args = arguments;
    held = function () { send.apply(request, args); };
  };

  // Material opens the search by clicking its toggle, which sends a change event, whatever opened
  // it: the button, a shortcut, the field taking the focus, a ?q= link. Its own search waits on
  // the same event where it cannot download the index on load (a site opened from files).
  toggle.addEventListener("change", function () { if (toggle.checked) release(); });
})();
