worker = 4
workers = "four"
timeout = 30
