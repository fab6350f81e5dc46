// Upseed board: votes update in place (the forms still work without this script). User text is never parsed as
// HTML here: the script only sets numbers and attributes, and reads what the server rendered.
'use strict';
(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : '';

  function show(box, vote, score) {
    box.dataset.vote = String(vote);
    box.querySelector('.score').textContent = String(score);
    const up = box.querySelector('form.up'), down = box.querySelector('form.down');
    up.querySelector('input[name=value]').value = vote === 1 ? '0' : '1';
    down.querySelector('input[name=value]').value = vote === -1 ? '0' : '-1';
    up.querySelector('button').classList.toggle('on', vote === 1);
    down.querySelector('button').classList.toggle('on', vote === -1);
    up.querySelector('button').setAttribute('aria-pressed', vote === 1 ? 'true' : 'false');
    down.querySelector('button').setAttribute('aria-pressed', vote === -1 ? 'true' : 'false');
  }

  document.addEventListener('submit', async function (event) {
    const form = event.target;
    if (!form.classList || !form.classList.contains('vote')) return;
    event.preventDefault();
    const box = form.closest('.votes');
    if (box.classList.contains('busy')) return;
    const value = parseInt(form.querySelector('input[name=value]').value, 10);
    const before = { vote: parseInt(box.dataset.vote, 10) || 0, score: parseInt(box.querySelector('.score').textContent.replace(/[^0-9-]/g, ''), 10) || 0 };
    // Immediate feedback: the score moves now; the server's answer then sets the exact figure.
    show(box, value, before.score - before.vote + value);
    box.classList.add('busy');
    try {
      const response = await fetch('/api/posts/' + encodeURIComponent(box.dataset.id) + '/vote', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ value: value })
      });
      if (response.status === 401) {
        location.href = '/me?return=' + encodeURIComponent(location.pathname + location.search);
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const result = await response.json();
      show(box, result.value, result.score);
    } catch (e) {
      show(box, before.vote, before.score);
    } finally {
      box.classList.remove('busy');
    }
  });
})();
