# SPDX-License-Identifier: Apache-2.0
"""Debian's headless Chromium through chromedriver (python3-selenium), as the web tests and
the dashboard benchmark start it."""
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium(profile_dir, window='1366,768', browser_log=False):
    opts = webdriver.ChromeOptions()
    for flag in ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', f'--user-data-dir={profile_dir}',
                 f'--window-size={window}']:
        opts.add_argument(flag)
    opts.binary_location = shutil.which('chromium') or '/usr/bin/chromium'
    if browser_log:
        opts.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(shutil.which('chromedriver') or '/usr/bin/chromedriver'), options=opts)
