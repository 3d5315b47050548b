workers = 2


def post_fork(server):
    pass
