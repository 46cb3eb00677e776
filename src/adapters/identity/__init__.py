"""Identity adapters: real-name checks (Tencent Cloud FaceID or a local fake) and the personal-data cipher."""
