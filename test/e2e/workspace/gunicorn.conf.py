worker = 4
workers = "four"
max_requests = 1000
timeout = 30

