"""The throwaway project the shard tests record (tests/test_shards.py): a
small shop package whose test files share module-level code and a conftest
fixture, read a data file and start subprocesses, so that shards' lines run
outside tests really differ."""
import os
import textwrap

PROJECT = {
    'pyproject.toml': '''\
        [tool.pytest.ini_options]
        pythonpath = ["."]
        stave_flush_every = 2
        ''',
    'shop/__init__.py': '',
    'shop/prices.py': '''\
        TAX = 0.2
        DISCOUNTS = {'gold': 0.1, 'silver': 0.05}


        def gross(net):
            return round(net * (1 + TAX), 2)


        def discounted(amount, tier=None):
            rate = DISCOUNTS.get(tier, 0)
            if rate:
                return round(amount * (1 - rate), 2)
            return amount
        ''',
    'shop/cart.py': '''\
        from shop import prices


        class Cart:
            def __init__(self):
                self.items = []

            def add(self, name, net, quantity=1):
                if quantity < 1:
                    raise ValueError('quantity must be positive')
                self.items.append((name, net, quantity))

            def total(self, tier=None):
                net = sum(price * quantity for _, price, quantity in self.items)
                return prices.discounted(prices.gross(net), tier)
        ''',
    'shop/stock.py': '''\
        LEVELS = {}


        def restock(name, count):
            LEVELS[name] = LEVELS.get(name, 0) + count
            return LEVELS[name]


        def take(name, count):
            have = LEVELS.get(name, 0)
            if count > have:
                return False
            LEVELS[name] = have - count
            return True
        ''',
    'shop/rates.py': '''\
        import json
        import os

        HERE = os.path.dirname(os.path.abspath(__file__))


        def rate(currency):
            with open(os.path.join(HERE, 'rates.json')) as handle:
                return json.load(handle)[currency]
        ''',
    'shop/rates.json': '{"EUR": 1.0, "USD": 1.1}\n',
    # Module-level code every test file runs at import, each its own branch:
    # the shards' '<import>' lines of this file differ, and the map holds their union.
    'shop/registry.py': '''\
        SUITES = []


        def register(name):
            if name == 'cart':
                SUITES.append(('cart', name))
            elif name == 'stock':
                SUITES.append(('stock', name))
            elif name == 'prices':
                SUITES.append(('prices', name))
            else:
                SUITES.append(('other', name))
            return name
        ''',
    'tests/conftest.py': '''\
        import os
        import time

        import pytest

        from shop import stock
        from shop.cart import Cart

        PAUSE = float(os.environ.get('SHOP_PAUSE', '0'))


        @pytest.fixture(scope='session')
        def stocked():
            stock.restock('apple', 10)
            stock.restock('pear', 5)
            return stock


        @pytest.fixture
        def cart():
            made = Cart()
            made.add('apple', 1.0, 3)
            yield made
            made.items.clear()


        @pytest.fixture(autouse=True)
        def pace():
            time.sleep(PAUSE)
        ''',
    'tests/test_prices.py': '''\
        import os
        import subprocess
        import sys

        from shop.prices import discounted, gross
        from shop.registry import register

        register('prices')
        ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


        def test_gross():
            assert gross(10) == 12.0


        def test_gold_discount():
            assert discounted(100, 'gold') == 90.0


        def test_gross_in_a_subprocess():
            out = subprocess.run([sys.executable, '-c', 'from shop.prices import gross; print(gross(5))'],
                                 cwd=ROOT, capture_output=True, text=True, check=True).stdout
            assert out.strip() == '6.0'
        ''',
    'tests/test_cart.py': '''\
        import pytest

        from shop.cart import Cart
        from shop.registry import register

        register('cart')


        def test_empty_total():
            assert Cart().total() == 0


        def test_total(cart):
            assert cart.total() == 3.6


        def test_gold_total(cart):
            assert cart.total('gold') == 3.24


        def test_bad_quantity(cart):
            with pytest.raises(ValueError):
                cart.add('pear', 2.0, 0)
        ''',
    'tests/test_stock.py': '''\
        import os
        import subprocess
        import sys

        from shop.registry import register

        register('stock')
        ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


        def test_take(stocked):
            assert stocked.take('apple', 2)


        def test_take_too_many(stocked):
            assert not stocked.take('pear', 99)


        def test_restock_in_a_subprocess():
            out = subprocess.run([sys.executable, '-c', 'from shop import stock; print(stock.restock("plum", 2))'],
                                 cwd=ROOT, capture_output=True, text=True, check=True).stdout
            assert out.strip() == '2'
        ''',
    'tests/test_rates.py': '''\
        import pytest

        from shop.rates import rate
        from shop.registry import register

        register('rates')


        def test_euro_rate():
            assert rate('EUR') == 1.0


        @pytest.mark.skip(reason='no dollars today')
        def test_dollar_rate():
            assert rate('USD') == 1.1
        ''',
}

#: How many tests the project has.
TESTS = 12


def make_project(directory):
    """Write the project into `directory`; its path."""
    for name, text in PROJECT.items():
        path = os.path.join(str(directory), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as handle:
            handle.write(textwrap.dedent(text))
    return str(directory)
