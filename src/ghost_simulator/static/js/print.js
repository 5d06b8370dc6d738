// The printable score sheet: a button that opens the browser's print dialog
// (where the sheet can also be saved as PDF). Without this script the page
// says to print from the browser's menu instead.

const button = document.querySelector("[data-print]");
if (button) {
  button.hidden = false;
  document.querySelector("[data-print-hint]")?.setAttribute("hidden", "");
  button.addEventListener("click", () => window.print());
}
