"""Payment channel adapters: WeChat Pay v3, Alipay, and the development sandbox."""
