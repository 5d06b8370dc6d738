// The new-match form, enhanced: the handicap's hint ("about 560 on this
// round") follows the choices, and the round field shows only when it applies.

const form = document.querySelector("#setup");

function value(name) {
  // A single field or a radio group (RadioNodeList): both have .value.
  return form.elements[name]?.value ?? "";
}

function showFields() {
  const kind = value("kind");
  for (const element of form.querySelectorAll("[data-show-for]")) {
    element.hidden = !element.dataset.showFor.split(" ").includes(kind);
  }
}

let pending;
async function updateHint() {
  const hint = form.querySelector("#handicap-hint");
  const handicap = value("handicap");
  if (!hint || handicap === "") {
    if (hint) hint.textContent = "";
    return;
  }
  const params = new URLSearchParams({
    handicap,
    kind: value("kind"),
    bow: value("bow"),
    indoor: value("indoor"),
    round: value("round"),
    scheme: value("scheme"),
  });
  pending?.abort();
  pending = new AbortController();
  try {
    const response = await fetch(`${form.dataset.expectedUrl}?${params}`, { signal: pending.signal });
    if (!response.ok) {
      hint.textContent = "";
      return;
    }
    const data = await response.json();
    const number = new Intl.NumberFormat(document.documentElement.lang);
    const ranking = ["ranking", "half"].includes(value("kind"));
    const template = ranking ? hint.dataset.round : hint.dataset.match;
    const score = ranking ? Math.round(data.expected) : Math.round(data.expected / 5 * 10) / 10;
    hint.textContent = template.replace("{score}", number.format(score)).replace("{round}", data.round);
  } catch (error) {
    if (error.name !== "AbortError") hint.textContent = "";
  }
}

if (form) {
  form.addEventListener("change", () => {
    showFields();
    updateHint();
  });
  form.querySelector("#handicap")?.addEventListener("input", updateHint);
  showFields();
}
