/* The supply-chain graph of /ui/graph, drawn with Cytoscape.js from /ui/graph.json.
   A node with a page opens it when clicked or tapped. The same graph is on the page
   as a nested list of links, for the keyboard and screen readers. */
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof cytoscape !== "function") { return; }
  var colours = { organisation: "#1d4e89", product: "#6a3d9a", release: "#33691e",
                  device: "#a04000", site: "#555555" };
  var shapes = { organisation: "round-rectangle", product: "ellipse", release: "diamond",
                 device: "triangle", site: "rectangle" };
  fetch(box.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (answer) {
      if (!answer.ok) { throw new Error(String(answer.status)); }
      return answer.json();
    })
    .then(function (graph) {
      var style = [
        { selector: "node", style: { label: "data(label)", "font-size": 11,
          "text-valign": "bottom", "text-margin-y": 4, width: 26, height: 26 } },
        { selector: "node[href]", style: { "border-width": 2, "border-color": "#000" } },
        { selector: "edge", style: { width: 1.5, "line-color": "#888",
          "target-arrow-color": "#888", "target-arrow-shape": "triangle",
          "curve-style": "bezier" } }
      ];
      Object.keys(colours).forEach(function (kind) {
        style.push({ selector: "node[kind = '" + kind + "']",
                     style: { "background-color": colours[kind], shape: shapes[kind] } });
      });
      var chart = cytoscape({
        container: box, elements: graph.elements, style: style,
        layout: { name: "breadthfirst", directed: true, spacingFactor: 1.1,
                  roots: "node[kind = 'organisation']" }
      });
      chart.on("tap", "node[href]", function (event) {
        window.location.assign(event.target.data("href"));
      });
      box.dataset.ready = "true";
    })
    .catch(function () { box.dataset.ready = "failed"; });
})();
