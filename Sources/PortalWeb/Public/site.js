// Enhancements only: every page works without this script.
(function () {
  "use strict";

  // Print buttons (hidden until this script can make them work).
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // The feedback form suggests published questions similar to the title being typed.
  var input = document.querySelector("input[data-suggest]");
  var box = input && document.getElementById(input.id + "-suggestions");
  if (!input || !box || !window.fetch) { return; }
  var list = box.querySelector("ul");
  var timer = null;
  var last = "";
  function show(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      li.appendChild(a);
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = input.value.trim();
      if (query === last) { return; }
      last = query;
      if (query.length < 3) { show([]); return; }
      fetch(input.getAttribute("data-suggest") + "?per_page=5&q=" + encodeURIComponent(query))
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) { if (input.value.trim() === query) { show(body.items || []); } })
        .catch(function () { show([]); });
    }, 250);
  });
})();
