"""`stave web`: the test map in a browser, served by CherryPy on stave's bus.

CPython only. The pages read the map through stave.testmap (never SQL) and
never write to it. Each page is also JSON under /api/ with the same path:

    /               the map at a glance          /api/
    /files          files and their test counts  /api/files
    /file/PATH      a file with its heat gutter  /api/file/PATH
    /line/PATH?line=N   the tests of one line    /api/line/PATH?line=N
    /test/ID        the lines a test ran         /api/test/ID
    /impact?rev=REV the tests a change selects   /api/impact?rev=REV (POST diff=... too)

Modules: pages (the data of each page), summaries (the map's counts, kept
per write stamp), source (reading project files safely), app (CherryPy
handlers and templates), plugin (the server on the bus).
"""
