# Gunicorn settings for the "shop" Django app, started by deploy/shop.service.
import multiprocessing
import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))

bind = "unix:/run/shop/gunicorn.sock"
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 20
keep_alive = 5

max_requests = 1000

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(D)s "%(a)s" %(x)s'

forwarded_allow_ips = ["127.0.0.1", "10.0.0.5"]
preload_app = True


def post_fork(server, worker):
    server.log.info("worker %s ready", worker.pid)


def worker_init(worker):
    worker.log.info("initialising %s", BASE_DIR)
