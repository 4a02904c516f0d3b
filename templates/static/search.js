// Starts Pagefind's search UI with the site's base path, so results work under a sub-path.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  var base = box.getAttribute("data-base");
  new PagefindUI({ element: "#search", baseUrl: base, bundlePath: base + "pagefind/", showImages: false,
                   showSubResults: true, resetStyles: false });
  var query = new URLSearchParams(window.location.search).get("q");
  var tries = 0;
  (function label() {
    var input = box.querySelector("input");
    if (!input) {
      if (tries++ < 100) window.requestAnimationFrame(label);
      return;
    }
    input.setAttribute("aria-label", "Search articles, people and organisations");  // its UI gives only a title
    if (query) {
      input.value = query;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  })();
});
