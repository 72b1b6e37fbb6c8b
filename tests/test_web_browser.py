"""`stave web` in a real browser: headless Chromium (Debian's chromium and
chromium-driver, which .ci/run installs) driven by Selenium, over a real
`stave web` subprocess. Each test keeps screenshots of what it saw in its
temporary directory."""
import os
import shutil
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expect
from selenium.webdriver.support.ui import WebDriverWait

from web_project import ADD, FAILS, RENDER, SUB, WebServer, make_project

pytestmark = pytest.mark.slow


CHROMIUM, CHROMEDRIVER = shutil.which('chromium'), shutil.which('chromedriver')


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp('project'))
    web = WebServer(make_project(directory), directory)
    yield web
    assert web.stop() == 0, web.errors


def browser(javascript=True):
    assert CHROMIUM and CHROMEDRIVER, 'the browser tests need Debian chromium and chromium-driver (.ci/run installs them)'
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
                 '--disable-dev-shm-usage', '--window-size=1300,900'):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option('prefs', {'profile.managed_default_content_settings.javascript': 2})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture
def driver():
    chrome = browser()
    yield chrome
    chrome.quit()


@pytest.fixture
def shots(tmp_path):
    """shots(driver, name): save a screenshot of the page as NAME.png in the test's temporary directory."""
    def take(chrome, name):
        path = str(tmp_path / (name + '.png'))
        assert chrome.save_screenshot(path) and os.path.getsize(path) > 1000
        return path
    return take


def wait(chrome, condition, timeout=30):
    return WebDriverWait(chrome, timeout).until(condition)


def panel_tests(chrome):
    return [link.text for link in chrome.find_elements(By.CSS_SELECTOR, '#line-tests a.test')]


def test_overview_then_a_hot_line_then_its_tests(server, driver, shots):
    driver.get(server.base + '/')
    wait(driver, expect.presence_of_element_located((By.CSS_SELECTOR, '.cards')))
    assert 'The test map' in driver.find_element(By.TAG_NAME, 'h1').text
    assert '154' in driver.find_element(By.CSS_SELECTOR, '.cards').text
    shots(driver, 'overview')
    driver.find_element(By.LINK_TEXT, 'app/calc.py:10').click()
    wait(driver, expect.url_contains('/file/app/calc.py?line=10'))
    assert driver.find_element(By.ID, 'L10').get_attribute('class') == 'selected'
    assert 'Line 10 · 150 tests' in driver.find_element(By.ID, 'line-tests').text
    assert len(panel_tests(driver)) == 100  # the first page of 150
    shots(driver, 'hot-line')


def test_clicking_a_line_lists_its_tests_without_a_reload(server, driver, shots):
    driver.get(server.base + '/file/app/calc.py')
    driver.execute_script('window.stillTheSamePage = true')
    driver.find_element(By.CSS_SELECTOR, '#L2 td.ln a').click()
    wait(driver, lambda d: panel_tests(d) == [ADD, FAILS])
    assert driver.execute_script('return window.stillTheSamePage') is True
    assert driver.current_url.endswith('/file/app/calc.py?line=2#L2')
    assert 'selected' in driver.find_element(By.ID, 'L2').get_attribute('class')
    assert [e.text for e in driver.find_elements(By.CSS_SELECTOR, '#line-tests .outcome')] == ['passed', 'failed']
    shots(driver, 'line-2')
    driver.find_element(By.CSS_SELECTOR, '#L6 td.ln a').click()
    wait(driver, lambda d: panel_tests(d) == [SUB])
    shots(driver, 'line-6')


def test_an_address_ending_in_a_line_anchor_shows_its_tests(server, driver):
    driver.get(server.base + '/file/app/calc.py#L6')
    wait(driver, lambda d: panel_tests(d) == [SUB])
    assert 'selected' in driver.find_element(By.ID, 'L6').get_attribute('class')


def test_a_test_page_links_to_the_lines_it_ran(server, driver, shots):
    driver.get(server.base + '/test/' + quote(SUB, safe='/:'))
    assert driver.find_element(By.TAG_NAME, 'h1').text == SUB
    shots(driver, 'test')
    driver.find_element(By.CSS_SELECTOR, 'td.ranges a[href^="/file/app/calc.py"]').click()
    wait(driver, expect.url_contains('/file/app/calc.py?line=6'))
    assert SUB in driver.find_element(By.ID, 'line-tests').text


def test_a_pasted_diff_shows_its_selection(server, driver, shots):
    driver.get(server.base + '/impact')
    diff = ('--- a/app/calc.py\n+++ b/app/calc.py\n@@ -6 +6 @@\n-    return a - b\n+    return b - a\n'
            '@@ -14 +14 @@\n-    return 0\n+    return 1\n')
    driver.find_element(By.NAME, 'diff').send_keys(diff)
    driver.find_element(By.CSS_SELECTOR, 'form[method="post"] button').click()
    wait(driver, expect.presence_of_element_located((By.ID, 'selection')))
    section = driver.find_element(By.ID, 'selection')
    assert '1 test selected' in section.text
    row = section.find_element(By.CSS_SELECTOR, 'tbody tr')
    assert row.text.split()[:2] == [SUB, '1'] and 'app/calc.py:6 changed' in row.text
    assert 'app/calc.py:14' in section.find_element(By.CSS_SELECTOR, 'ul.uncovered').text
    shots(driver, 'impact')


def test_markup_in_a_test_id_and_a_source_line_shows_as_text(server, driver, shots):
    driver.get(server.base + '/test/' + quote(RENDER, safe='/:'))
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert driver.find_element(By.TAG_NAME, 'h1').text == RENDER
    driver.get(server.base + '/file/app/page.py')
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert "<script>alert('from the source')</script>" in driver.find_element(By.ID, 'L1').text
    shots(driver, 'escaped')


def test_pages_read_without_javascript(server, shots):
    chrome = browser(javascript=False)
    try:
        chrome.get(server.base + '/file/app/calc.py#L6')
        # With scripts off, the anchor alone lists nothing: the script would have.
        assert 'Click a line number' in chrome.find_element(By.ID, 'line-tests').text
        chrome.find_element(By.CSS_SELECTOR, '#L2 td.ln a').click()
        wait(chrome, expect.url_contains('?line=2'))
        assert panel_tests(chrome) == [ADD, FAILS]  # rendered by the server
        chrome.get(server.base + '/files')
        assert 'app/calc.py' in chrome.find_element(By.CSS_SELECTOR, 'table.files').text
        shots(chrome, 'no-javascript')
    finally:
        chrome.quit()
