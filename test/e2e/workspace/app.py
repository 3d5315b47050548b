# Not a Gunicorn config: the same mistake as in gunicorn.conf.py must not be reported here.
worker = 4


def app(environ, start_response):
    start_response("200 OK", [])
    return [b"ok"]
