// Draws a register's points (from the page's JSON script tags) with Leaflet: a circle per point with
// its label and a link to its page. No tiles unless the server names a tile URL.
(function () {
  "use strict";
  var box = document.getElementById("register-map");
  if (!box || typeof L === "undefined") { return; }
  var points = JSON.parse(document.getElementById("map-points").textContent);
  var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
  var map = L.map(box, { attributionControl: Boolean(tiles) });
  if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
  var bounds = points.map(function (point) { return [point.lat, point.lon]; });
  // The view first: Leaflet draws a layer only once the map has one.
  if (bounds.length === 1) { map.setView(bounds[0], 15); } else { map.fitBounds(bounds, { padding: [20, 20] }); }
  points.forEach(function (point, index) {
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.label;  // text, never HTML: labels are what people typed
    var marker = L.circleMarker(bounds[index], {
      radius: 6, weight: 1, color: "#0b5394", fillColor: "#3d85c6", fillOpacity: 0.8
    }).bindPopup(link).addTo(map);
    marker.getElement().setAttribute("data-label", point.label);
  });
})();
