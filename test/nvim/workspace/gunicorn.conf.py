worker = 4
timeout = 30

