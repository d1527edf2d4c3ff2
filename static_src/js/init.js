// Starts govuk-frontend's components (menus, character counts). Every page works without it.
if (window.GOVUKFrontend && document.body.classList.contains("govuk-frontend-supported")) {
  window.GOVUKFrontend.initAll();
}

// The register's filters (templates/includes/register_filters.html) come closed from the server, so that on a
// phone they do not bury the results. On screens as wide as govuk-frontend's tablet breakpoint (641px) they
// open. Turning a phone on its side opens them; turning it back closes them again, unless the resident has
// opened or closed them in between.
(function () {
  var filters = document.querySelector("[data-app-filters]");
  if (!filters || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 40.0625em)");
  var openedForWidth = false;
  function fit() {
    if (wide.matches && !filters.open) {
      filters.open = true;
      openedForWidth = true;
    } else if (!wide.matches && openedForWidth) {
      filters.open = false;
      openedForWidth = false;
    }
  }
  fit();
  // The panel is now in our hands: _filters.scss stops showing a closed panel's contents on wide screens.
  filters.setAttribute("data-app-filters-ready", "");
  filters.querySelector("summary").addEventListener("click", function () {
    openedForWidth = false;
  });
  if (wide.addEventListener) {
    wide.addEventListener("change", fit);
  } else if (wide.addListener) {
    wide.addListener(fit);
  }
})();
