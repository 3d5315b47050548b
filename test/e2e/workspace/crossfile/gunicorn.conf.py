# Gunicorn for the cross-file test: systemd socket activation decides where it listens.
bind = "127.0.0.1:9000"
workers = 2
