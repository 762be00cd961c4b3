// The speaker view (key S) typesets the notes' maths once. reveal.js 5's notes plugin
// (plugin/notes/notes.js) opens the speaker view as a page of its own: it opens an empty window
// (window.open("about:blank")) and writes its speaker-view.html into it (document.write), with none of
// the deck's style sheets. It then sends each slide's notes as the HTML of their <aside class="notes">,
// where KaTeX has already typeset the maths: every formula as MathML (for screen readers) next to its
// HTML rendering. Without KaTeX's style sheet, which hides the MathML copy and lays out the HTML one,
// the browser shows both ("DD", "log D(x)log D(x)"). So once the speaker window says hello (its
// "connected" or "heartbeat" message to this window), this script gives it KaTeX's style sheet, the
// same file the deck loads (lib/katex/katex.min.css, with its fonts next to it), by absolute address.
(function () {
  "use strict";
  var katexCss = document.querySelector('link[rel="stylesheet"][href$="katex.min.css"]');
  if (!katexCss) {
    return;
  }
  var href = katexCss.href; // absolute: the speaker window is about:blank

  function styleSpeakerWindow(win) {
    var doc;
    try {
      doc = win.document; // the notes plugin only talks to a window of this page's origin
    } catch (e) {
      return;
    }
    if (!doc || !doc.head || doc.querySelector("link[data-ganad-katex]")) {
      return;
    }
    var link = doc.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-ganad-katex", "");
    doc.head.appendChild(link);
  }

  window.addEventListener("message", function (event) {
    var data;
    try {
      data = typeof event.data === "string" ? JSON.parse(event.data) : null;
    } catch (e) {
      return;
    }
    if (data && data.namespace === "reveal-notes" && event.source && event.source !== window &&
        (data.type === "connected" || data.type === "heartbeat")) {
      styleSpeakerWindow(event.source);
    }
  });
})();
