"""One blueprint per spec module; `ALL` is what the app registers and the OpenAPI document lists."""
from . import auth, users, wallets

ALL = [auth.api, users.api, wallets.api]
