"""Media processing: image checks (Pillow) and video work with the ffmpeg binary that imageio-ffmpeg ships."""
