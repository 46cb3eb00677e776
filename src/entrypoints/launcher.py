"""The `skyriff` console script: the command line, or a clear word when the server extra is not installed."""
from __future__ import annotations

import sys

HINT = "pip install 'skyriff[server]'"


def main() -> int:
    """A bare `pip install skyriff` is the domain library alone; the CLI needs the server extra, so say that
    instead of showing a traceback about flask or SQLAlchemy."""
    try:
        from entrypoints.cli import main as cli_main
    except ModuleNotFoundError as error:
        top = (error.name or "").split(".")[0]
        if not top or top in sys.stdlib_module_names or top in ("skyriff_domain", "adapters", "entrypoints"):
            raise
        print(f"skyriff: the command line needs the server extra ({top} is not installed): {HINT}", file=sys.stderr)
        return 2
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
