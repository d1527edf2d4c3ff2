// Turns the header search box into a combobox that suggests entry titles (the WAI-ARIA 1.2 "list autocomplete"
// pattern). Without JavaScript, or when anything here fails, the plain search form works as before.
(function () {
  "use strict";

  const WAIT_MS = 250; // after the last key press, so typing a word makes one request, not one per letter
  const MIN_LENGTH = 2; // the suggestions endpoint answers nothing for less

  class SearchSuggest {
    constructor(form, input) {
      this.form = form;
      this.input = input;
      this.text = form.dataset;
      const lang = document.documentElement.lang || undefined;
      this.plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
      this.results = [];
      this.active = -1;
      this.latest = 0; // the number of the newest request; answers to older ones are stale
      this.timer = null;
      this.controller = null;
    }

    init() {
      const listboxId = `${this.input.id}-suggestions`;
      this.listbox = document.createElement("ul");
      this.listbox.id = listboxId;
      this.listbox.className = "app-header-search__suggestions";
      this.listbox.setAttribute("role", "listbox");
      this.listbox.setAttribute("aria-label", this.text.i18nListboxLabel);
      this.listbox.hidden = true;

      this.status = document.createElement("div");
      this.status.className = "govuk-visually-hidden";
      this.status.setAttribute("role", "status");
      this.status.setAttribute("aria-live", "polite");

      this.input.insertAdjacentElement("afterend", this.listbox);
      this.form.append(this.status);
      this.input.setAttribute("role", "combobox");
      this.input.setAttribute("aria-autocomplete", "list");
      this.input.setAttribute("aria-controls", listboxId);
      this.input.setAttribute("aria-expanded", "false");

      this.input.addEventListener("input", () => this.schedule());
      this.input.addEventListener("keydown", (event) => this.onKeydown(event));
      this.input.addEventListener("blur", () => {
        this.cancel(); // an answer arriving after focus has moved on must not open the list
        this.close();
      });
      // Keep focus in the input while the pointer is on the list, so choosing an option does not blur it first.
      this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
      this.listbox.addEventListener("click", (event) => {
        const option = event.target.closest("[role=option]");
        if (option) this.go(Number(option.dataset.index));
      });
      // Coming back with the Back button restores the page as it was left: with the list open.
      window.addEventListener("pageshow", () => this.close());
    }

    schedule() {
      this.cancel();
      if (this.active >= 0) this.highlight(-1); // typing goes back to the typed text
      const query = this.input.value.trim();
      if (query.length < MIN_LENGTH) {
        this.results = [];
        this.close();
        this.announce("");
        return;
      }
      this.timer = window.setTimeout(() => this.fetch(query), WAIT_MS);
    }

    cancel() {
      window.clearTimeout(this.timer);
      if (this.controller) this.controller.abort();
      this.controller = null;
      this.latest += 1;
    }

    fetch(query) {
      const request = this.latest;
      const url = new URL(this.input.dataset.suggestUrl, window.location.href);
      url.searchParams.set("q", query);
      this.controller = new AbortController();
      window
        .fetch(url, { headers: { Accept: "application/json" }, signal: this.controller.signal })
        .then((response) => {
          if (!response.ok) throw new Error(`Suggestions answered ${response.status}`);
          return response.json();
        })
        .then((data) => {
          if (request === this.latest) this.show(data.results);
        })
        .catch(() => {
          // Offline, an error or an aborted request: no suggestions, and the form still submits.
          if (request === this.latest) this.close();
        });
    }

    show(results) {
      this.results = (Array.isArray(results) ? results : []).filter(
        (result) => typeof result.title === "string" && isWebAddress(result.url),
      );
      this.highlight(-1);
      this.listbox.textContent = "";
      this.listbox.append(...this.results.map((result, index) => this.option(result, index)));
      if (this.results.length) {
        this.open();
        this.announce(this.countMessage(this.results.length));
      } else {
        this.close();
        this.announce(this.text.i18nNoResults);
      }
    }

    // "5 suggestions available...": the plural form the page's language needs, if the page gives it.
    countMessage(count) {
      const form = this.plurals ? this.plurals.select(count) : count === 1 ? "one" : "other";
      const key = `i18nResults${form[0].toUpperCase()}${form.slice(1)}`;
      return (this.text[key] || this.text.i18nResultsOther).replace("{count}", count);
    }

    option(result, index) {
      const option = document.createElement("li");
      option.id = `${this.listbox.id}-${index}`;
      option.className = "app-header-search__option";
      option.dataset.index = index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      const title = document.createElement("span");
      title.className = "app-header-search__option-title";
      title.textContent = result.title;
      option.append(title);
      if (result.council) {
        const separator = document.createElement("span");
        separator.className = "govuk-visually-hidden";
        separator.textContent = ", ";
        const council = document.createElement("span");
        council.className = "app-header-search__option-council";
        council.textContent = result.council;
        option.append(separator, council);
      }
      return option;
    }

    onKeydown(event) {
      if (event.isComposing) return;
      const count = this.results.length;
      const isOpen = !this.listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!count) return;
          event.preventDefault();
          if (!isOpen) this.open();
          if (!event.altKey) this.highlight(isOpen ? (this.active + 1) % count : 0);
          break;
        case "ArrowUp":
          if (!count) return;
          event.preventDefault();
          if (!isOpen) this.open();
          this.highlight(isOpen && this.active > 0 ? this.active - 1 : count - 1);
          break;
        case "Enter":
          // With no option chosen, Enter searches for what was typed, as it always did.
          if (isOpen && this.active >= 0) {
            event.preventDefault();
            this.go(this.active);
          } else {
            this.cancel();
            this.close();
          }
          break;
        case "Escape":
          // The first Escape closes the list; a second one clears the box, as search boxes do.
          if (isOpen) {
            event.preventDefault();
            this.close();
          } else {
            this.cancel();
          }
          break;
        case "Home":
        case "End":
        case "ArrowLeft":
        case "ArrowRight":
          // These move the text cursor, so the choice goes back to the typed text.
          if (this.active >= 0) this.highlight(-1);
          break;
        default:
      }
    }

    highlight(index) {
      this.active = index;
      for (const option of this.listbox.children) {
        option.setAttribute("aria-selected", String(Number(option.dataset.index) === index));
      }
      if (index < 0) {
        this.input.removeAttribute("aria-activedescendant");
        return;
      }
      const option = this.listbox.children[index];
      this.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    go(index) {
      const result = this.results[index];
      if (!result) return;
      this.input.value = result.title;
      this.close();
      window.location.assign(result.url);
    }

    open() {
      this.listbox.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    }

    close() {
      if (this.active >= 0) this.highlight(-1);
      this.listbox.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
    }

    announce(message) {
      if (this.status.textContent !== message) this.status.textContent = message;
    }
  }

  // Only ever navigate to a web page (never, say, a javascript: address).
  function isWebAddress(url) {
    try {
      return typeof url === "string" && ["http:", "https:"].includes(new URL(url, window.location.href).protocol);
    } catch (error) {
      return false;
    }
  }

  // govuk-frontend's test (browsers that run ES modules), and the one newer thing used above.
  if (!document.body.classList.contains("govuk-frontend-supported") || !window.AbortController) return;
  for (const form of document.querySelectorAll('[data-module="app-search-suggest"]')) {
    const input = form.querySelector("input[data-suggest-url]");
    // Every interface string comes from the page, in its language; without them, stay a plain form.
    const { i18nListboxLabel, i18nResultsOther, i18nNoResults } = form.dataset;
    if (input && input.id && i18nListboxLabel && i18nResultsOther && i18nNoResults) {
      new SearchSuggest(form, input).init();
    }
  }
})();
