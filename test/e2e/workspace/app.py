worker = 4

def app(environ, start_response):
    return []
