"""Content moderators: Tencent Cloud (text and image) and the embedded local list with test markers."""
