// The deck checks its own layout once reveal.js has laid it out and the fonts and figures have
// loaded, in the normal view and in the print view (?print-pdf, what the PDF shows). A slide with a
// problem gets the attribute data-layout-problems (a JSON list) and a console warning; <body> gets
// data-layout-check (JSON: what was measured). tests/test_slides.py reads both. Problems:
//
//  * cut off: text, a figure, a table or a formula reaches outside the 1280 x 720 slide (it would be
//    cut off on screen and in the PDF), outside its column, or outside a box that clips or scrolls
//    what overflows it (overflow other than visible: the deck hides scroll bars); or, in the print
//    view, the slide's own box is taller than the slide, margins included (Chromium then breaks it
//    across pages and the PDF loses the last block, a source line, though its text ends inside);
//  * under the controls: in the normal view, it lies under the navigation arrows or the slide number
//    (their size is fixed in pixels, so they cover more of the slide in a smaller window);
//  * split formula: an inline formula is broken across two lines;
//  * small figure text: a figure's smallest text is under 16 px on the slide (slides/deck.py's
//    show() records it in data-min-text-px, at the figure's natural width), or a figure was not put
//    on the slide by show(), so its text cannot be measured;
//  * small chart text: the smallest glyph of a chart's tick labels and legends (an exponent counts
//    at the size it is drawn; show() records it in data-min-chart-text-px) is under 17 px as shown;
//  * wraps: an element marked data-max-lines="n" (the summary's budget line: one line) takes more
//    than n lines.
// Sizes are measured as shown: at the figure's width on the page, in pixels of the 1280 x 720 slide.
// Each slide also gets data-content-bottom: how far down the slide its lowest text or figure reaches
// (the corner marker aside), in pixels of the slide; and the summary names the fonts the headings and
// the body text use and the fonts the page loaded.
(function () {
  "use strict";
  var MIN_FIGURE_TEXT_PX = 16;
  var MIN_CHART_TEXT_PX = 17;
  var TOLERANCE = 1; // px of the slide
  var BOXES = "img, svg, canvas, video, table, pre, .katex, .algorithm, .missing-results, .slide-marker";
  var print = /print-pdf/i.test(window.location.search);

  function shortText(el) {
    var math = el.querySelector && el.querySelector("annotation");
    var t = (math ? math.textContent : el.textContent || el.alt || el.tagName).replace(/\s+/g, " ").trim();
    return t.length > 60 ? t.slice(0, 57) + "..." : t;
  }

  function hidden(node) {
    for (var el = node.nodeType === 1 ? node : node.parentElement; el; el = el.parentElement) {
      if (el.matches("aside.notes, script, style, .katex-mathml")) {
        return true;
      }
      if (el.matches("section")) {
        return false;
      }
    }
    return false;
  }

  // everything visible on a slide: rectangles of text runs and of boxes (figures, tables, formulas)
  function pieces(slide) {
    var out = [];
    var walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
    var range = document.createRange();
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim() || hidden(n)) {
        continue;
      }
      range.selectNodeContents(n);
      Array.prototype.forEach.call(range.getClientRects(), function (r) {
        if (r.width > 0 && r.height > 0) {
          out.push({rect: r, el: n.parentElement, node: n, what: "text"});
        }
      });
    }
    slide.querySelectorAll(BOXES).forEach(function (el) {
      if (hidden(el)) {
        return;
      }
      Array.prototype.forEach.call(el.getClientRects(), function (r) {
        if (r.width > 0 && r.height > 0) {
          out.push({rect: r, el: el, node: el, what: el.matches(".katex") ? "formula" : el.tagName.toLowerCase()});
        }
      });
    });
    return out;
  }

  // the nearest box between ``node`` and its slide that clips what overflows it (not KaTeX's own boxes)
  function clippingBox(node) {
    for (var a = node.parentElement; a && !a.matches("section"); a = a.parentElement) {
      if (a.closest(".katex")) {
        continue;
      }
      var st = getComputedStyle(a);
      if (st.overflowX !== "visible" || st.overflowY !== "visible") {
        return a;
      }
    }
    return null;
  }

  // the number of lines the text of ``el`` takes: its line boxes, told apart by their vertical middles
  function lineCount(el) {
    var range = document.createRange();
    var middles = [];
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) {
        continue;
      }
      range.selectNodeContents(n);
      Array.prototype.forEach.call(range.getClientRects(), function (r) {
        if (r.width > 0 && r.height > 0) {
          middles.push([(r.top + r.bottom) / 2, r.height]);
        }
      });
    }
    middles.sort(function (a, b) { return a[0] - b[0]; });
    var lines = 0, last = -1e9;
    middles.forEach(function (m) {
      if (m[0] - last > m[1] / 2) {
        lines += 1;
        last = m[0];
      }
    });
    return lines;
  }

  function intersects(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function checkSlide(slide, W, H, summary) {
    var problems = [];
    var box = slide.getBoundingClientRect();
    var scale = box.width / slide.offsetWidth;
    var slides = document.querySelector(".reveal .slides").getBoundingClientRect();
    var overlays = print ? [] : Array.prototype.filter.call(
      document.querySelectorAll(".reveal .controls button, .reveal .slide-number"),
      function (el) { return getComputedStyle(el).display !== "none"; }).map(function (el) {
      return el.getBoundingClientRect();
    });

    var bottom = 0;
    pieces(slide).forEach(function (p) {
      var r = p.rect;
      var x0 = (r.left - box.left) / scale, x1 = (r.right - box.left) / scale;
      var y0 = (r.top - box.top) / scale, y1 = (r.bottom - box.top) / scale;
      summary[p.what === "text" ? "texts" : "boxes"] += 1;
      if (!(p.el.closest && p.el.closest(".slide-marker"))) {
        bottom = Math.max(bottom, y1);
      }
      if (x0 < -TOLERANCE || y0 < -TOLERANCE || x1 > W + TOLERANCE || y1 > H + TOLERANCE) {
        problems.push("cut off: " + p.what + " '" + shortText(p.el) + "' at x " + Math.round(x0) + "-" +
                      Math.round(x1) + ", y " + Math.round(y0) + "-" + Math.round(y1) + " (slide: " + W + " x " + H + ")");
        return;
      }
      var column = p.el.closest(".ganad-col");
      if (column && column !== p.el) {
        var c = column.getBoundingClientRect();
        if (r.left < c.left - TOLERANCE * scale || r.right > c.right + TOLERANCE * scale) {
          problems.push("cut off: " + p.what + " '" + shortText(p.el) + "' is wider than its column");
          return;
        }
      }
      var clip = clippingBox(p.node);
      if (clip) {
        var b = clip.getBoundingClientRect();
        if (r.left < b.left - TOLERANCE * scale || r.right > b.right + TOLERANCE * scale ||
            r.top < b.top - TOLERANCE * scale || r.bottom > b.bottom + TOLERANCE * scale) {
          problems.push("cut off: " + p.what + " '" + shortText(p.el) + "' reaches outside a box that clips it (" +
                        clip.tagName.toLowerCase() + "." + Array.prototype.join.call(clip.classList, ".") + ")");
          return;
        }
      }
      // where the piece is when its slide is the current one (the slide's origin is .slides's)
      var shown = {left: slides.left + x0 * scale, right: slides.left + x1 * scale,
                   top: slides.top + y0 * scale, bottom: slides.top + y1 * scale};
      overlays.forEach(function (o) {
        if (intersects(shown, o)) {
          problems.push("under the controls: " + p.what + " '" + shortText(p.el) + "' lies under the " +
                        "navigation arrows or the slide number");
        }
      });
    });

    slide.setAttribute("data-content-bottom", bottom.toFixed(1));
    if (print && slide.offsetHeight > H + TOLERANCE) {
      problems.push("cut off: the slide is " + slide.offsetHeight + " px tall with its margins (slide: " + W + " x " +
                    H + "): the PDF breaks it across pages and drops its last lines");
    }

    slide.querySelectorAll("[data-max-lines]").forEach(function (el) {
      if (hidden(el)) {
        return;
      }
      var most = parseInt(el.getAttribute("data-max-lines"), 10);
      var lines = lineCount(el);
      el.setAttribute("data-lines", String(lines));
      if (lines > most) {
        problems.push("wraps: '" + shortText(el) + "' takes " + lines + " lines (at most " + most + ")");
      }
    });

    slide.querySelectorAll(".katex").forEach(function (k) {
      if (hidden(k) || k.closest(".katex-display")) {
        return;
      }
      summary.formulas += 1;
      if (k.getClientRects().length > 1) {
        problems.push("split formula: '" + shortText(k) + "' is broken across lines");
      }
    });

    slide.querySelectorAll("img").forEach(function (img) {
      if (hidden(img)) {
        return;
      }
      summary.figures += 1;
      var min = parseFloat(img.getAttribute("data-min-text-px"));
      var natural = parseFloat(img.getAttribute("width"));
      if (!(min > 0) || !(natural > 0)) {
        problems.push("small figure text: a figure without data-min-text-px (put it on the slide with deck.show)");
        return;
      }
      var shown = (img.getBoundingClientRect().width / scale) / natural;
      var px = min * shown;
      summary.min_figure_text_px = Math.min(summary.min_figure_text_px, px);
      img.setAttribute("data-shown-text-px", px.toFixed(1));
      if (px < MIN_FIGURE_TEXT_PX - 0.05) {
        problems.push("small figure text: '" + shortText(img) + "' has text of " + px.toFixed(1) + " px (at least " +
                      MIN_FIGURE_TEXT_PX + ")");
      }
      var chart = parseFloat(img.getAttribute("data-min-chart-text-px"));
      if (chart > 0) {
        var cpx = chart * shown;
        summary.charts += 1;
        summary.min_chart_text_px = Math.min(summary.min_chart_text_px, cpx);
        img.setAttribute("data-shown-chart-text-px", cpx.toFixed(1));
        if (cpx < MIN_CHART_TEXT_PX - 0.05) {
          problems.push("small chart text: '" + shortText(img) + "' has tick or legend text of " + cpx.toFixed(1) +
                        " px (at least " + MIN_CHART_TEXT_PX + ")");
        }
      }
    });
    return problems;
  }

  function check() {
    var cfg = Reveal.getConfig();
    var summary = {mode: print ? "print" : "screen", viewport: [window.innerWidth, window.innerHeight], slides: 0,
                   texts: 0, boxes: 0, formulas: 0, figures: 0, min_figure_text_px: 1e9, charts: 0,
                   min_chart_text_px: 1e9, problems: 0};
    document.querySelectorAll(".reveal .slides section").forEach(function (slide) {
      if (slide.classList.contains("stack") || slide.querySelector("section")) {
        return; // a stack of slides, not a slide
      }
      summary.slides += 1;
      // slides far from the current one are not displayed: show them while measuring
      var changed = [];
      for (var el = slide; el && el.matches("section, .pdf-page"); el = el.parentElement) {
        if (getComputedStyle(el).display === "none") {
          changed.push([el, el.style.display]);
          el.style.display = "block";
        }
      }
      var problems = checkSlide(slide, cfg.width, cfg.height, summary);
      changed.forEach(function (c) { c[0].style.display = c[1]; });
      if (problems.length) {
        slide.setAttribute("data-layout-problems", JSON.stringify(problems));
        summary.problems += problems.length;
        problems.forEach(function (p) { console.warn("slide " + (slide.id || summary.slides) + ": " + p); });
      } else {
        slide.removeAttribute("data-layout-problems");
      }
    });
    var family = function (sel) {
      var el = document.querySelector(sel);
      return el ? getComputedStyle(el).fontFamily : null;
    };
    var loaded = [];
    if (document.fonts) {
      document.fonts.forEach(function (f) {
        if (f.status === "loaded" && loaded.indexOf(f.family.replace(/["']/g, "")) < 0) {
          loaded.push(f.family.replace(/["']/g, ""));
        }
      });
    }
    summary.fonts = {heading: family(".reveal .slides section h1"),
                     body: family(".reveal .slides section .jp-RenderedHTMLCommon p"),
                     list: family(".reveal .slides section .jp-RenderedHTMLCommon li"), loaded: loaded};
    document.body.setAttribute("data-layout-check", JSON.stringify(summary));
  }

  // this script runs before Reveal.initialize(): reveal.js queues the listener until then
  var ready = new Promise(function (resolve) { Reveal.on(print ? "pdf-ready" : "ready", resolve); });
  var loaded = new Promise(function (resolve) {
    if (document.readyState === "complete") {
      resolve();
    } else {
      window.addEventListener("load", resolve);
    }
  });
  Promise.all([ready, loaded, document.fonts ? document.fonts.ready : null]).then(function () {
    requestAnimationFrame(function () { setTimeout(check, 0); });
  });
})();
