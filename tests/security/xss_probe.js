// Installed in every page and frame before any of the page's own scripts (Playwright's
// add_init_script). It turns every way an injected script shows itself into a record:
// - alert, prompt, confirm and print are replaced: a call sets the global flag
//   window.__xssExecuted and records what called it;
// - window.__xss(...) is a global flag payloads can set directly;
// - every Content Security Policy violation (securitypolicyviolation event) is recorded;
// - window.__xssAudit() lists active content that reached the DOM inside the parts of
//   the page that print people's text: script-like elements, on* attributes and
//   javascript:/vbscript:/data: URLs, even where nothing ran.
(() => {
  const hits = [];
  const violations = [];
  const where = () => {
    const event = window.event;
    const node = (event && event.target) || document.currentScript;
    const holder = node && node.closest && node.closest("[id]");
    return holder ? holder.id : "";
  };
  const record = (kind, args) => {
    window.__xssExecuted = true;
    hits.push({ kind, args: String(Array.from(args)).slice(0, 120), where: where() });
    return null;
  };
  for (const name of ["alert", "prompt", "confirm", "print"]) {
    Object.defineProperty(window, name, {
      value: function () { return record(name, arguments); },
      writable: false,
      configurable: false,
    });
  }
  Object.defineProperty(window, "__xss", {
    value: function () { return record("flag", arguments); },
    writable: false,
    configurable: false,
  });
  document.addEventListener("securitypolicyviolation", (event) => {
    violations.push({
      directive: event.effectiveDirective,
      blocked: String(event.blockedURI).slice(0, 120),
      sample: String(event.sample).slice(0, 120),
    });
  });

  const REGIONS = [
    "#comments li", ".comment-content", ".comment-author", ".entry-content",
    ".entry-title", ".entry-excerpt", ".entry-meta", ".author-bio", ".author-header",
    "#result_list", "title",
  ].join(",");
  const ACTIVE_TAGS = new Set([
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
    "link", "style", "form", "input", "button", "textarea", "select", "svg", "math",
    "video", "audio", "source", "track", "template", "noscript", "xmp", "isindex",
    "portal", "marquee", "set", "animate", "handler", "xml", "import",
  ]);
  const FORM_CONTROLS = new Set(["input", "button", "form", "select", "textarea"]);
  const URL_ATTRIBUTES = new Set([
    "href", "src", "action", "formaction", "data", "srcdoc", "background", "poster",
    "lowsrc", "dynsrc", "xlink:href", "codebase", "cite", "longdesc", "usemap", "ping",
  ]);
  const DANGEROUS_URL = /^(javascript|vbscript|data|livescript|mocha):/;
  const normalised = (value) =>
    value.replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\ufeff]/g, "").toLowerCase();

  const holderOf = (element) => {
    const holder = element.closest("[id]");
    return holder ? holder.id : element.localName;
  };

  window.__xssAudit = () => {
    const found = [];
    for (const region of document.querySelectorAll(REGIONS)) {
      for (const element of [region, ...region.querySelectorAll("*")]) {
        const tag = element.localName;
        if (element !== region && ACTIVE_TAGS.has(tag)) {
          // The admin's own controls in a change list (checkboxes, one-click moderation
          // buttons) are not injected content; script-like elements there still count.
          const ours = FORM_CONTROLS.has(tag) && region.matches("#result_list");
          if (!ours) found.push({ problem: `<${tag}> element`, where: holderOf(element) });
        }
        for (const attribute of element.attributes) {
          const name = attribute.name.toLowerCase();
          if (name.startsWith("on")) {
            found.push({ problem: `${name}= attribute on <${tag}>`, where: holderOf(element) });
          } else if (name === "style" && region.closest("#result_list") === null) {
            found.push({ problem: `style= attribute on <${tag}>`, where: holderOf(element) });
          } else if (URL_ATTRIBUTES.has(name) && DANGEROUS_URL.test(normalised(attribute.value))) {
            found.push({
              problem: `${name}=${attribute.value.slice(0, 60)} on <${tag}>`,
              where: holderOf(element),
            });
          }
        }
      }
    }
    return found;
  };
  window.__xssReport = () => ({
    executed: window.__xssExecuted === true,
    hits,
    violations,
  });
})();
