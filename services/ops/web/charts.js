// Small inline-SVG charts of our own (no library, no CDN): horizontal bars with labels.
"use strict";
window.Ops = window.Ops || {};
(function (Ops) {
  const NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text != null) node.textContent = text;
    return node;
  }

  // rows: [{label, value, inner?, note?}]; a bar per row scaled to the largest value, an
  // optional darker inner bar (a part of the value) and a note at the bar's end.
  Ops.barChart = (figure, rows, caption) => {
    if (!rows.length) return figure.replaceChildren();  // the table beside it says "none"
    const labelW = 250, barW = 320, rowH = 26, noteW = 150;
    const width = labelW + barW + noteW, height = rows.length * rowH + 8;
    const max = Math.max(1, ...rows.map((r) => r.value));
    const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
                            "aria-label": caption });
    svg.appendChild(el("title", {}, caption));
    rows.forEach((r, i) => {
      const y = 4 + i * rowH;
      svg.appendChild(el("text", { x: labelW - 8, y: y + 16, "text-anchor": "end" }, r.label));
      const w = Math.max(r.value > 0 ? 2 : 0, (r.value / max) * barW);
      svg.appendChild(el("rect", { class: "bar" + (r.over ? " over" : ""), x: labelW, y,
                                   width: w, height: rowH - 8 }));
      if (r.inner != null) {
        const iw = Math.max(r.inner > 0 ? 2 : 0, (r.inner / max) * barW);
        svg.appendChild(el("rect", { class: "bar inner", x: labelW, y: y + 4, width: iw,
                                     height: rowH - 16 }));
      }
      svg.appendChild(el("text", { x: labelW + w + 6, y: y + 16 }, r.note || ""));
    });
    svg.appendChild(el("line", { class: "axis", x1: labelW, y1: 0, x2: labelW, y2: height }));
    figure.replaceChildren(svg, Object.assign(document.createElement("figcaption"),
                                              { textContent: caption }));
  };
})(window.Ops);
