"""The AIGC label font and its licence: data only (see README.md); a package so setuptools ships it."""
