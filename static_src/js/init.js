// Starts govuk-frontend's components (menus, character counts). Every page works without it.
if (window.GOVUKFrontend && document.body.classList.contains("govuk-frontend-supported")) {
  window.GOVUKFrontend.initAll();
}
