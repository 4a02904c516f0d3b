// Starts Pagefind's search UI with the site's base path, so results work under a sub-path.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  var base = box.getAttribute("data-base");
  new PagefindUI({ element: "#search", baseUrl: base, bundlePath: base + "pagefind/", showImages: false,
                   showSubResults: true, resetStyles: false });
  var params = new URLSearchParams(window.location.search);
  var input = box.querySelector("input");
  if (input && params.get("q")) {
    input.value = params.get("q");
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
});
