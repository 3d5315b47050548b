bind = "unix:/run/navshop/web.sock"
workers = 2
