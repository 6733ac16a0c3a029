// The decision page (issue 16, part 5): only the questions the chosen decision needs. Without
// this script every group shows under its heading, and the server reads only the chosen
// decision's answers either way.
(function () {
  var form = document.querySelector("form[data-decision]");
  if (!form) return;
  var groups = form.querySelectorAll("[data-group-for]");
  function show() {
    var chosen = form.querySelector("input[name=event]:checked");
    var group = chosen ? chosen.getAttribute("data-group") : "";
    groups.forEach(function (g) { g.hidden = g.getAttribute("data-group-for") !== group; });
  }
  form.addEventListener("change", function (e) { if (e.target.name === "event") show(); });
  show();
})();
