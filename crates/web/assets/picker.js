// Long lists (countries, languages, départements) stay plain selects, which
// work without JavaScript and with every assistive technology. This adds a
// search field above each select marked data-picker: typing keeps only the
// options whose name contains the text, accents and case aside, and the
// number of options left is announced. Chosen options are never hidden.
(() => {
  const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const enhance = (select) => {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = 'true';
    const all = Array.from(select.options);
    const input = document.createElement('input');
    input.type = 'search';
    input.className = 'fr-input fr-mb-1w';
    input.id = `${select.id}-filter`;
    input.autocomplete = 'off';
    input.setAttribute('aria-controls', select.id);
    const label = document.createElement('label');
    label.className = 'fr-label';
    label.htmlFor = input.id;
    label.textContent = select.dataset.filterLabel || '';
    const status = document.createElement('p');
    status.className = 'fr-sr-only';
    status.setAttribute('aria-live', 'polite');
    select.before(label, input, status);
    input.addEventListener('input', () => {
      const q = fold(input.value.trim());
      const kept = all.filter((o) => o.selected || o.value === '' || fold(o.text).includes(q));
      select.replaceChildren(...kept);
      status.textContent = `${kept.filter((o) => o.value !== '').length}`;
    });
    input.addEventListener('keydown', (event) => {
      // Enter or the down arrow goes to the list instead of sending the form.
      if (event.key === 'Enter' || event.key === 'ArrowDown') {
        event.preventDefault();
        const first = Array.from(select.options).find((o) => o.value !== '');
        if (first && !select.multiple && event.key === 'Enter') first.selected = true;
        select.focus();
      }
    });
  };
  const run = () => document.querySelectorAll('select[data-picker]').forEach(enhance);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
})();
