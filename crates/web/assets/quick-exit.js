// Quick exit on the public pages: someone watched over by an exploiter must be
// able to leave at once. The neutral site replaces this page in the history, so
// that "back" does not return to it; the page is blanked before it goes.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-quick-exit]');
  if (!link) return;
  event.preventDefault();
  document.body.hidden = true;
  document.title = '';
  window.location.replace(link.href);
});
