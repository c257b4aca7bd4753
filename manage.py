#!/usr/bin/env python
"""Django's command-line utility; a configuration error prints one line and exits 2."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hainan_credit.settings")
    from django.core.management import execute_from_command_line

    from hainan_credit.env import ConfigError

    try:
        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        sys.stderr.write(f"configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
