// stave web: reading works without this script. With it, a click on a line
// number (or a #L212 in the address) lists that line's tests beside the
// source without reloading the page.
(function () {
  'use strict';
  var view = document.querySelector('.file-view');
  if (!view) { return; }
  var path = view.getAttribute('data-path');
  var panel = document.getElementById('line-tests');

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }  // text, never HTML
    if (className) { node.className = className; }
    return node;
  }

  function encodePath(value) {
    return value.split('/').map(encodeURIComponent).join('/');
  }

  function show(data) {
    panel.textContent = '';
    var total = data.tests.total;
    panel.appendChild(element('h2', 'Line ' + data.line + ' · ' + total + (total === 1 ? ' test' : ' tests')));
    if (!total) { panel.appendChild(element('p', 'No test ran this line.', 'quiet')); return; }
    var table = element('table', null, 'list');
    var body = element('tbody');
    data.tests.items.forEach(function (item) {
      var row = element('tr');
      var cell = element('td');
      var link = element('a', item.test, 'test');
      link.href = '/test/' + encodePath(item.test);
      cell.appendChild(link);
      row.appendChild(cell);
      var outcome = element('td');
      if (item.outcome) { outcome.appendChild(element('span', item.outcome, 'outcome ' + item.outcome)); }
      row.appendChild(outcome);
      row.appendChild(element('td', item.duration === undefined ? '' : item.duration.toFixed(3) + ' s', 'num'));
      body.appendChild(row);
    });
    table.appendChild(body);
    panel.appendChild(table);
    if (data.tests.pages > 1) {
      var more = element('p', null, 'pager');
      var all = element('a', 'all ' + total + ' tests, ' + data.tests.per_page + ' a page');
      all.href = '/line/' + encodePath(path) + '?line=' + data.line;
      more.appendChild(all);
      panel.appendChild(more);
    }
  }

  function select(line) {
    var previous = view.querySelector('tr.selected');
    if (previous) { previous.classList.remove('selected'); }
    var row = document.getElementById('L' + line);
    if (row) { row.classList.add('selected'); }
    panel.textContent = '';
    panel.appendChild(element('p', 'Finding the tests of line ' + line + '…', 'quiet'));
    fetch('/api/line/' + encodePath(path) + '?line=' + line)
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw new Error(data.error || response.statusText); }
          return data;
        });
      })
      .then(show)
      .catch(function (error) {
        panel.textContent = '';
        panel.appendChild(element('p', String(error.message || error), 'notice bad'));
      });
  }

  view.addEventListener('click', function (event) {
    var link = event.target.closest('td.ln a');
    if (!link) { return; }
    event.preventDefault();
    var line = link.textContent;
    history.replaceState(null, '', '?line=' + line + '#L' + line);  // the address the page has without script
    select(line);
  });

  var match = /^#L(\d+)$/.exec(window.location.hash);
  if (match && !view.querySelector('tr.selected')) { select(match[1]); }
})();
