"""The data of each page: plain dicts and lists, rendered as HTML by the
templates and as JSON by /api/. Nothing here knows HTTP beyond the two
errors a request can deserve (BadRequest, NotFound).

Every function takes `test_map` (a TestMap on the request's own store
connection), the `site` (project root and summary cache) and the request's
parameters, checked here: a bad one is a BadRequest naming it.
"""
import time

from stave.errors import StaveError
from stave.sentinels import LARGEST_LINE
from stave.testmap import keys
from stave.testmap.outcomes import recent_outcomes
from stave.testmap.shadow import shadow_runs
from stave.testmap.summary import line_counts
from stave.web.source import OutsideProject, read_source

#: Items per page of the long lists.
PER_PAGE = {'files': 200, 'tests': 100, 'selected': 200}


class BadRequest(Exception):
    """A parameter is missing, unknown or malformed (HTTP 400)."""


class NotFound(Exception):
    """No such file, test or line (HTTP 404)."""


class Site(object):
    """What the pages share: the project `root` and the SummaryCache."""

    def __init__(self, root, summaries):
        self.root, self.summaries = root, summaries


# -- parameters -------------------------------------------------------------

def check_params(params, allowed):
    """BadRequest for a parameter the page does not take."""
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise BadRequest('unknown parameter %r (this page takes: %s)'
                         % (unknown[0], ', '.join(sorted(allowed)) or 'none'))


def whole_number(params, name, default=None, least=1, most=None):
    """The parameter `name` as an int in least..most, or `default` if absent."""
    value = params.get(name)
    if value is None or value == '':
        if default is None:
            raise BadRequest('the parameter %r is required' % name)
        return default
    if isinstance(value, list):
        raise BadRequest('the parameter %r is given more than once' % name)
    try:
        number = int(value)
    except (ValueError, TypeError):  # TypeError: a file field of a form
        number = None
    if number is None or number < least or (most is not None and number > most):
        raise BadRequest('the parameter %r must be a whole number from %d%s, not %r'
                         % (name, least, ' to %d' % most if most is not None else ' up', value))
    return number


def paginate(items, page, per_page):
    """One page of `items`: {'items', 'page', 'pages', 'total', 'per_page'};
    BadRequest for a page past the last."""
    pages = max(1, -(-len(items) // per_page))
    if page > pages:
        raise BadRequest('the parameter %r must be a whole number from 1 to %d, not %d' % ('page', pages, page))
    start = (page - 1) * per_page
    return {'items': items[start:start + per_page], 'page': page, 'pages': pages, 'total': len(items),
            'per_page': per_page}


# -- the pages --------------------------------------------------------------

def overview(test_map, site, params):
    """The map at a glance: counts, hottest lines, slowest and failing tests, last runs."""
    check_params(params, ())
    data = {'map': test_map.exists(), 'runs': [], 'shadow': []}
    if not data['map']:
        return data
    state = site.summaries.state(test_map)
    data.update(_state(state))
    data['runs'] = test_map.runs(limit=10)
    data['shadow'] = shadow_runs(test_map, limit=10)
    summary = state.summary
    if summary is not None:
        data.update(tests=summary.tests, files=len(summary.files), lines=summary.lines, cells=summary.cells,
                    hot_lines=[{'path': p, 'line': n, 'tests': c} for p, n, c in summary.hot_lines],
                    slowest=[{'test': t, 'duration': d, 'outcome': o} for t, d, o in summary.slowest],
                    failing=[{'test': t, 'outcome': o} for t, o in summary.failing])
    return data


def files(test_map, site, params):
    """The project's files with their test counts: the recorded ones, and the
    Python files git tracks that no test ran; `q` filters by path prefix."""
    check_params(params, ('page', 'q'))
    page = whole_number(params, 'page', 1)
    prefix = params.get('q') or ''
    if not isinstance(prefix, str):
        raise BadRequest("the parameter 'q' is given more than once")
    state = site.summaries.state(test_map) if test_map.exists() else None
    data = dict(_state(state) if state else {}, q=prefix)
    recorded = state.summary.files if state and state.summary else {}
    rows = [{'path': path, 'tests': counts.tests, 'lines': len(counts.lines),
             'outside': len(counts.outside)} for path, counts in recorded.items()]
    rows += [{'path': path, 'tests': 0, 'lines': 0, 'outside': 0}
             for path in _tracked_python_files(site.root) if path not in recorded]
    rows = sorted((row for row in rows if row['path'].startswith(prefix)), key=lambda row: row['path'])
    data['files'] = paginate(rows, page, PER_PAGE['files'])
    return data


def file_view(test_map, site, path, params):
    """A file's source with each line's test count; with `line`, that line's tests."""
    check_params(params, ('line', 'page'))
    path = _project_path(path)
    source = _read(site, path)
    counts = _counts(test_map, site, path)
    if source is None and counts is None:
        raise NotFound('%s is neither in the working tree nor in the map' % path)
    lines = source if source is not None else []
    recorded = counts.lines if counts else {}
    outside = counts.outside if counts else set()
    numbers = range(1, max([len(lines)] + list(recorded)) + 1)
    data = {'path': path, 'in_tree': source is not None, 'in_map': counts is not None,
            'tests': counts.tests if counts else 0, 'most': max(recorded.values()) if recorded else 0,
            'lines': [{'line': n, 'text': lines[n - 1] if n <= len(lines) else '',
                       'tests': recorded.get(n), 'outside': n in outside} for n in numbers]}
    data['selected'] = line_tests(test_map, site, path, params) if 'line' in params else None
    return data


def line_tests(test_map, site, path, params):
    """The tests that ran one line (`line`), a page at a time, with each
    test's last outcome and duration."""
    check_params(params, ('line', 'page'))
    path = _project_path(path)
    line = whole_number(params, 'line', least=1, most=LARGEST_LINE)
    page = paginate(test_map.tests_for(path, line), whole_number(params, 'page', 1), PER_PAGE['tests'])
    page['items'] = [dict(test_map.test_info(test) or {}, test=test) for test in page['items']]
    for item in page['items']:
        item.pop('run', None)
    return {'path': path, 'line': line, 'tests': page}


def test_view(test_map, site, test_id, params):
    """The lines a test ran, by file, as runs of lines; and its last outcome."""
    check_params(params, ())
    info = test_map.test_info(test_id)
    files = test_map.lines_for(test_id)
    if info is None and not files:
        raise NotFound('no test %s in the map' % test_id)
    return {'test': test_id, 'info': info or {}, 'history': recent_outcomes(test_map, test_id),
            'files': [{'path': path, 'lines': len(lines), 'ranges': ranges(lines)} for path, lines in files.items()]}


def impact(test_map, site, params):
    """The tests a change selects, each with its reason, and the changed lines
    no test runs: the change is `rev` (the working tree against a git
    revision) or `diff` (a unified diff, from the form)."""
    from stave.testmap.selection import DiffError, select_for_diff, select_for_patch_text
    check_params(params, ('rev', 'diff', 'page'))
    page = whole_number(params, 'page', 1)
    rev, diff = params.get('rev') or '', params.get('diff') or ''
    if isinstance(rev, list) or isinstance(diff, list):
        raise BadRequest('give rev or diff once')
    data = {'rev': rev, 'diff': diff, 'asked': bool(rev or diff)}
    if not data['asked']:
        return data
    if rev and diff:
        raise BadRequest('give either rev or diff, not both')
    if not test_map.exists():
        raise NotFound('the store holds no test map yet: record one with pytest --stave')
    started = time.time()
    try:
        selection = (select_for_diff(test_map, rev, site.root) if rev
                     else select_for_patch_text(test_map, diff, site.root, 'the pasted diff'))
    except (DiffError, StaveError) as exc:
        raise BadRequest(str(exc))
    explained = [{'test': test, 'rule': rule, 'because': because} for test, rule, because in selection.explained()]
    data.update(selected=paginate(explained, page, PER_PAGE['selected']), notes=selection.notes,
                everything=selection.everything,
                uncovered=[{'path': path, 'line': line} for path, line in selection.uncovered],
                seconds=time.time() - started)
    return data


# -- helpers ----------------------------------------------------------------

def ranges(lines):
    """Runs of consecutive numbers of a sorted list: [[first, last]]."""
    runs = []
    for line in lines:
        if runs and runs[-1][1] == line - 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    return runs


def _state(state):
    return {'fresh': state.fresh, 'counting_since': state.since, 'summary_error': state.error,
            'ready': state.summary is not None}


def _project_path(path):
    """A recorded-style path from the URL's: '/' separators, no leading './'."""
    path = keys.normalise_path(path)
    if not path:
        raise NotFound('no file given')
    return path


def _read(site, path):
    try:
        return read_source(site.root, path)
    except OutsideProject:
        raise NotFound('%s is not a file of the project' % path)
    except (IOError, OSError) as exc:
        raise NotFound('%s cannot be read: %s' % (path, exc.strerror or exc))


def _counts(test_map, site, path):
    """The file's FileCounts: from the summary if it is current, else read now."""
    if not test_map.exists():
        return None
    state = site.summaries.state(test_map, wait=0)
    if state.fresh:
        return state.summary.file_counts(path)
    return line_counts(test_map, path)


def _tracked_python_files(root):
    """The Python files git tracks under `root` ([] outside a repository)."""
    from stave.git import GitError, git
    try:
        listed = git(['ls-files', '-z', '--', '*.py'], root)
    except GitError:
        return []
    return [path for path in listed.split('\0') if path]
