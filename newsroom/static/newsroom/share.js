// «Copy link» is a plain link to the story; where the browser lets a page write
// to the clipboard, a click copies the address instead of following it.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.share-copy");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(() => {
    link.textContent = link.dataset.copied;
  }, () => { window.location.href = link.href; });
});
