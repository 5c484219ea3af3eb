"""Open a prof2html page in headless Chromium (file://) and print when it was
drawn: "drawn MS ready MS" in milliseconds from the start of navigation
(pstatsDrawn: the chart and the table painted; pstatsReady: the call edges
read too).  Best of RUNS fresh page loads.

usage: /usr/bin/python3 html_open.py PAGE.html [RUNS]"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def main(argv):
    page = os.path.abspath(argv[1])
    runs = int(argv[2]) if len(argv) > 2 else 3
    o = webdriver.ChromeOptions()
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
              '--window-size=1400,1000'):
        o.add_argument(a)
    d = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=o)
    best = None
    try:
        for _ in range(runs):
            d.get('about:blank')
            d.get('file://' + page)
            for _ in range(1200):
                r = d.execute_script('return [window.pstatsDrawn, window.pstatsReady]')
                if r[0] is not None and r[1] is not None:
                    break
                time.sleep(0.1)
            if r[0] is None:
                print('the page did not draw', file=sys.stderr)
                return 1
            if best is None or r[0] < best[0]:
                best = r
    finally:
        d.quit()
    print('drawn %.0f ready %.0f' % (best[0], best[1]))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
