"""Login adapters: JWT tokens, SMS senders, WeChat OAuth."""
