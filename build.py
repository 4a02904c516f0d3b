"""Entry point: python build.py [build|serve|check|new] --help"""

import sys

from site_builder.cli import main

if __name__ == "__main__":
    sys.exit(main())
