// Small page behaviours, kept out of inline handlers so the Content-Security-Policy can
// forbid inline script: a select that submits its form, a checkbox that checks all.
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el instanceof HTMLElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
});
document.addEventListener("click", (e) => {
  const el = e.target;
  if (el instanceof HTMLInputElement && el.dataset.checkAll) {
    document.querySelectorAll(el.dataset.checkAll).forEach((c) => { c.checked = el.checked; });
  }
});
document.addEventListener("click", (e) => {
  const el = e.target;
  if (el instanceof HTMLElement && el.closest("[data-print]")) window.print();
});
// The browser's own file button speaks the browser's language: show the chosen file's name.
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el instanceof HTMLInputElement && el.dataset.fileName) {
    const out = document.getElementById(el.dataset.fileName);
    if (out) out.textContent = el.files && el.files.length ? el.files[0].name : "未选择文件";
  }
});
